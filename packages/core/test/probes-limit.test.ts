import { describe, expect, it } from '@jest/globals';
import type { Canary } from 'flagger-types';
import {
  MAX_PROBE_METADATA_LENGTH,
  MAX_WEBHOOK_METADATA_VALUE_LENGTH,
  parseProbeFile,
  parseWebhookPayload,
  probeFromMetadata,
  renderCanary,
  resolveCanaryOptions,
} from '../src/index.ts';

// One limit: the largest probe probes.yml accepts renders, and the webhook that carries it is
// one the prober's payload parse (the gate's, core's webhookPayloadSchema) and probeFromMetadata take.

const fileWith = (message: string) =>
  `version: 1\nfunctions:\n  chatbot:\n    conversations:\n      - name: greets\n        turns:\n          - webchat: '${message}'\n            expect: {contains: hi}\n`;
/** The length of the probe JSON render puts into the webhook metadata. */
const probeLength = (message: string) => {
  const probe = parseProbeFile(fileWith(message), 'probes.yml').functions.chatbot;
  const [canary] = renderCanary({ name: 'chatbot', probe }, resolveCanaryOptions({})) as [Canary];
  return canary.spec.analysis.webhooks?.[0]?.metadata?.probe?.length ?? 0;
};

describe('the longest probe', () => {
  it('is the webhook metadata limit', () => {
    expect(MAX_PROBE_METADATA_LENGTH).toBe(MAX_WEBHOOK_METADATA_VALUE_LENGTH);
  });

  it('that probes.yml accepts renders, and its webhooks pass the prober’s payload parse', () => {
    // A quote is escaped in the probe's JSON: the limit counts the JSON, not the YAML.
    const filler = (n: number) => `"${'x'.repeat(n - 1)}`;
    const longest = filler(MAX_PROBE_METADATA_LENGTH - (probeLength(filler(1)) - 1));
    expect(probeLength(longest)).toBe(MAX_PROBE_METADATA_LENGTH);

    const file = parseProbeFile(fileWith(longest), 'probes.yml');
    const [canary] = renderCanary(
      { name: 'chatbot', probe: file.functions.chatbot },
      resolveCanaryOptions({}),
    ) as [Canary];
    const webhooks = canary.spec.analysis.webhooks?.filter((w) => w.metadata?.probe) ?? [];
    expect(webhooks).toHaveLength(2);
    for (const webhook of webhooks) {
      const parsed = parseWebhookPayload({
        name: 'chatbot',
        namespace: 'openfaas-fn',
        phase: 'Progressing',
        checksum: '7d8f9c6b5',
        metadata: webhook.metadata,
      });
      expect(parsed).toMatchObject({ ok: true });
      if (!parsed.ok) continue;
      expect(probeFromMetadata(parsed.payload.metadata).probe).toEqual(file.functions.chatbot);
    }
  });

  it('one character longer is refused in probes.yml, before anything renders', () => {
    const longest = 'x'.repeat(MAX_PROBE_METADATA_LENGTH - (probeLength('x') - 1));
    expect(probeLength(longest)).toBe(MAX_PROBE_METADATA_LENGTH);
    const filler = `${longest}x`;
    expect(() => parseProbeFile(fileWith(filler), 'probes.yml')).toThrow(
      `more than the ${MAX_PROBE_METADATA_LENGTH} the prober accepts`,
    );
  });
});
