import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { formatIssues, validateCanary, validateMetricTemplate } from 'flagger-types';
import { runCli } from './run-cli.ts';

const STACK = fileURLToPath(new URL('../../../examples/chatbot/stack.yml', import.meta.url));

interface Rendered {
  kind: string;
  metadata: { name: string; namespace: string };
  spec: Record<string, unknown> & {
    provider?: string;
    analysis?: Record<string, unknown> & { webhooks?: { type: string; url: string }[] };
    service?: { port: number };
  };
}

async function render(flags: string[]): Promise<Rendered[]> {
  const { code, out, err } = await runCli(['render', '--stack', STACK, ...flags]);
  expect(err).toBe('');
  expect(code).toBe(0);
  return parseAllDocuments(out).map((document) => {
    expect(document.errors).toEqual([]);
    return document.toJS() as Rendered;
  });
}

function expectValid(document: Rendered): void {
  const result =
    document.kind === 'Canary' ? validateCanary(document) : validateMetricTemplate(document);
  if (!result.ok) throw new Error(`${document.kind} is invalid:\n${formatIssues(result.issues)}`);
}

const MATRIX = ['linkerd', 'gatewayapi'].flatMap((provider) =>
  ['canary', 'blue-green'].flatMap((strategy) =>
    [false, true].map((approval) => ({ provider, strategy, approval })),
  ),
);

describe('greenlight render', () => {
  it.each(MATRIX)(
    'prints objects flagger-types accepts for $provider, $strategy, approval $approval',
    async ({ provider, strategy, approval }) => {
      const flags = ['--provider', provider, '--strategy', strategy];
      const documents = await render(approval ? [...flags, '--approval'] : flags);

      for (const document of documents) expectValid(document);
      const [canary, ...templates] = documents;
      expect(canary?.kind).toBe('Canary');
      expect(canary?.metadata).toMatchObject({ name: 'chatbot', namespace: 'openfaas-fn' });
      // The Gateway API provider needs Linkerd queries of its own (docs/design.md, "Flagger facts").
      expect(templates.map((t) => t.kind)).toEqual(
        provider === 'gatewayapi' ? ['MetricTemplate', 'MetricTemplate'] : [],
      );
      const analysis = canary?.spec.analysis ?? {};
      expect('iterations' in analysis).toBe(strategy === 'blue-green');
      const gates = (analysis.webhooks ?? []).map((webhook) => webhook.type);
      expect(gates).toEqual(approval ? ['confirm-promotion', 'rollback'] : []);
    },
  );

  it('carries every canary flag into the Canary', async () => {
    const [canary] = await render([
      '--namespace',
      'bots',
      '--step-weights',
      '5,10,25,50',
      '--interval',
      '1m',
      '--threshold',
      '3',
      '--min-success-rate',
      '99.5',
      '--max-latency-ms',
      '250',
      '--port',
      '3000',
      '--prometheus-address',
      'http://prometheus.monitoring:9090',
      '--approval',
      '--gate-url',
      'http://gate.greenlight:8080',
    ]);
    expectValid(canary as Rendered);
    expect(canary?.metadata.namespace).toBe('bots');
    expect(canary?.spec).toMatchObject({
      metricsServer: 'http://prometheus.monitoring:9090',
      service: { port: 3000 },
      analysis: {
        interval: '1m',
        threshold: 3,
        stepWeights: [5, 10, 25, 50],
        metrics: [
          { name: 'request-success-rate', thresholdRange: { min: 99.5 } },
          { name: 'request-duration', thresholdRange: { max: 250 } },
        ],
      },
    });
    expect(canary?.spec.analysis?.webhooks?.map((w) => w.url)).toEqual([
      'http://gate.greenlight:8080/gate/promotion',
      'http://gate.greenlight:8080/gate/rollback',
    ]);
  });

  it('renders only the functions --function selects', async () => {
    const documents = await render(['--function', 'chat*']);
    expect(documents.map((d) => d.metadata.name)).toEqual(['chatbot']);
  });

  it("substitutes ${VAR} in the stack from the CLI's environment", async () => {
    const stack = join(mkdtempSync(join(tmpdir(), 'greenlight-render-')), 'stack.yml');
    writeFileSync(
      stack,
      'version: 1.0\nprovider:\n  name: openfaas\nfunctions:\n  bot:\n    lang: node\n' +
        '    handler: ./bot\n    image: x/bot:1\n    namespace: ${TEAM_NAMESPACE}\n',
    );
    const { code, out } = await runCli(['render', '--stack', stack], { TEAM_NAMESPACE: 'bots' });
    expect(code).toBe(0);
    expect(parseAllDocuments(out)[0]?.toJS()).toMatchObject({
      metadata: { name: 'bot', namespace: 'bots' },
    });
  });

  it('records the owning Backstage entity with --owner, and refuses one that is not an entity ref', async () => {
    const [canary] = await render(['--owner', 'component:default/chatbot']);
    expect(canary?.metadata).toMatchObject({
      annotations: { 'greenlight.dev/owner': 'component:default/chatbot' },
    });
    const bad = await runCli(['render', '--stack', STACK, '--owner', 'chatbot']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--owner.*<kind>:<namespace>\/<name>.*component:default\/chatbot/s);
  });

  it('needs no cluster: it runs without KUBECONFIG or ~/.kube/config', async () => {
    const { code } = await runCli(['render', '--stack', STACK], { KUBECONFIG: '' });
    expect(code).toBe(0);
  });
});
