// README, "Chat probes": a team that prefers flagger-loadtester adds its `rollout` webhook to
// what `greenlight render` prints. The result must still be a Canary Flagger accepts.
import { describe, expect, test } from '@jest/globals';
import { formatIssues, validateCanary, type CanaryWebhook } from 'flagger-types';
import { renderCanary, resolveCanaryOptions } from '../src/index.ts';

// Flagger's docs' load test, aimed at the canary Service (flagger-loadtester runs `hey`).
const LOAD_TEST: CanaryWebhook = {
  name: 'load-test',
  type: 'rollout',
  url: 'http://flagger-loadtester.test/',
  timeout: '5s',
  metadata: { cmd: 'hey -z 1m -q 10 -c 2 http://chatbot-canary.openfaas-fn:8080/' },
};

describe("greenlight render with flagger-loadtester's webhook added by hand", () => {
  test.each([false, true])('is a Canary Flagger accepts (approval %s)', (approval) => {
    const [canary] = renderCanary({ name: 'chatbot' }, resolveCanaryOptions({ approval }));
    const analysis = canary.spec.analysis;
    analysis.webhooks = [...(analysis.webhooks ?? []), LOAD_TEST];
    const result = validateCanary(canary);
    if (!result.ok) throw new Error(formatIssues(result.issues));
    expect(analysis.webhooks.map((w) => w.type)).toEqual([
      ...(approval ? ['confirm-promotion', 'rollback'] : []),
      'rollout',
    ]);
  });
});
