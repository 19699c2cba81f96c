import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { formatIssues, validateCanary, validateMetricTemplate } from 'flagger-types';
import { runCli } from '@greenlight/test-kit/processes/run-cli';

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

// `--provider linkerd` still renders, and says on stderr that it is deprecated.
const DEPRECATED =
  /^warning: provider linkerd \(SMI TrafficSplit, linkerd-smi\) is deprecated: .*fluxcd\/flagger#1840.*gatewayapi.*\n$/;

async function render(flags: string[]): Promise<Rendered[]> {
  const { code, out, err } = await runCli(['render', '--stack', STACK, ...flags]);
  if (flags.join(' ').includes('--provider linkerd')) expect(err).toMatch(DEPRECATED);
  else expect(err).toBe('');
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

// A probes file for the example's one function, outside the example folder: blue-green needs it.
const PROBES = join(mkdtempSync(join(tmpdir(), 'greenlight-probes-')), 'probes.yml');
writeFileSync(
  PROBES,
  'version: 1\nfunctions:\n  chatbot:\n    conversations:\n      - name: greets\n' +
    '        turns:\n          - webchat: hello\n            expect: { contains: Hello }\n',
);

const MATRIX = ['linkerd', 'gatewayapi'].flatMap((provider) =>
  ['canary', 'blue-green'].flatMap((strategy) =>
    [false, true].map((approval) => ({ provider, strategy, approval })),
  ),
);

describe('greenlight render', () => {
  it.each(MATRIX)(
    'prints objects flagger-types accepts for $provider, $strategy, approval $approval',
    async ({ provider, strategy, approval }) => {
      const flags = ['--provider', provider, '--strategy', strategy, '--probes', PROBES];
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
      expect(gates).toEqual([
        'pre-rollout',
        'rollout',
        ...(approval ? ['confirm-promotion', 'rollback'] : []),
      ]);
    },
  );

  it('carries every canary flag into the Canary (linkerd: builtin metrics)', async () => {
    const [canary] = await render([
      '--provider',
      'linkerd',
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
      '--probes',
      PROBES,
      '--probe-url',
      'http://probe.greenlight:8080',
      '--probe-rounds',
      '3',
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
      'http://probe.greenlight:8080/probe/pre-rollout',
      'http://probe.greenlight:8080/probe/rollout',
      'http://gate.greenlight:8080/gate/promotion',
      'http://gate.greenlight:8080/gate/rollback',
    ]);
  });

  it('renders testers first (A/B) and sticky conversations from their flags', async () => {
    const [testers] = await render([
      '--testers-header',
      'X-Slack-Team-Id=T0123',
      '--testers-cookie',
      'greenlight-tester=yes',
      '--testers-iterations',
      '3',
    ]);
    expectValid(testers as Rendered);
    expect(testers?.spec).toMatchObject({
      provider: 'gatewayapi:v1',
      analysis: {
        iterations: 3,
        match: [
          { headers: { 'X-Slack-Team-Id': { exact: 'T0123' } } },
          { headers: { Cookie: { regex: expect.stringContaining('greenlight-tester=yes') } } },
        ],
      },
    });
    const [sticky] = await render([
      '--sticky-cookie',
      'greenlight-version',
      '--sticky-max-age',
      '900',
    ]);
    expectValid(sticky as Rendered);
    expect(sticky?.spec.analysis).toMatchObject({
      stepWeight: 10,
      sessionAffinity: { cookieName: 'greenlight-version', maxAge: 900 },
    });
  });

  it('refuses testers with a weighted canary, naming both flags', async () => {
    const { code, out, err } = await runCli([
      'render',
      '--stack',
      STACK,
      '--testers-header',
      'X-Team=T1',
      '--step-weight',
      '20',
    ]);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toContain('--step-weight: cannot be combined with --testers-header');
  });

  it('renders only the functions --function selects', async () => {
    const documents = await render(['--function', 'chat*']);
    expect(documents.map((d) => d.metadata.name)).toEqual([
      'chatbot',
      'chatbot-success-rate',
      'chatbot-latency',
    ]);
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

  describe('with probes', () => {
    /** A stack of two functions in a folder of its own, with `probes` beside it when given. */
    function stackWith(probes?: string): string {
      const folder = mkdtempSync(join(tmpdir(), 'greenlight-render-probes-'));
      writeFileSync(
        join(folder, 'stack.yml'),
        'version: 1.0\nprovider:\n  name: openfaas\nfunctions:\n' +
          '  bot:\n    lang: node\n    handler: ./bot\n    image: x/bot:1\n' +
          '  quiet:\n    lang: node\n    handler: ./quiet\n    image: x/quiet:1\n',
      );
      if (probes) writeFileSync(join(folder, 'probes.yml'), probes);
      return join(folder, 'stack.yml');
    }
    const BOT_PROBES =
      'version: 1\nfunctions:\n  bot:\n    conversations:\n      - name: greets\n' +
      '        turns:\n          - webchat: hello\n            expect: { contains: Hello }\n';

    it('reads probes.yml beside the stack: a probed function gets both probe webhooks', async () => {
      const { code, out, err } = await runCli([
        'render',
        '--stack',
        stackWith(BOT_PROBES),
        '--probe-url',
        'http://probe.greenlight:8080',
        '--probe-rounds',
        '2',
      ]);
      expect(err).toBe('');
      expect(code).toBe(0);
      const [bot, quiet] = parseAllDocuments(out)
        .map((d) => d.toJS() as Rendered)
        .filter((d) => d.kind === 'Canary');
      expectValid(bot as Rendered);
      const webhooks = (bot?.spec.analysis?.webhooks ?? []) as {
        type: string;
        url: string;
        metadata?: Record<string, string>;
      }[];
      expect(webhooks.map((w) => [w.type, w.url, w.metadata?.rounds])).toEqual([
        ['pre-rollout', 'http://probe.greenlight:8080/probe/pre-rollout', '1'],
        ['rollout', 'http://probe.greenlight:8080/probe/rollout', '2'],
      ]);
      // A canary without probes keeps its webhooks as they were: none without approval.
      expect(quiet?.metadata.name).toBe('quiet');
      expect(quiet?.spec.analysis?.webhooks).toBeUndefined();
    });

    it('refuses blue-green for a function without a probe, naming --probes and the fix', async () => {
      const { code, out, err } = await runCli([
        'render',
        '--stack',
        stackWith(BOT_PROBES),
        '--strategy',
        'blue-green',
      ]);
      expect(code).toBe(2);
      expect(out).toBe('');
      expect(err).toContain(
        '--strategy: blue-green needs a probe for function "quiet": it sends no user traffic to the new version',
      );
      expect(err).toContain(
        'Give function "quiet" conversations in the probes file (--probes <file>), as docs/probes.md shows, or use --strategy canary.',
      );
    });

    it('refuses a --probes file that does not exist rather than rendering unprobed', async () => {
      const { code, out, err } = await runCli([
        'render',
        '--stack',
        stackWith(),
        '--probes',
        '/nonexistent/probes.yml',
      ]);
      expect(code).toBe(2);
      expect(out).toBe('');
      expect(err).toContain('--probes: probes file /nonexistent/probes.yml does not exist');
    });

    it('refuses a malformed probes file with its line and field, printing nothing', async () => {
      const { code, out, err } = await runCli([
        'render',
        '--stack',
        stackWith(BOT_PROBES.replace('contains: Hello', 'contain: Hello')),
      ]);
      expect(code).toBe(2);
      expect(out).toBe('');
      expect(err).toMatch(/probes\.yml:\d+/);
      expect(err).toContain('functions.bot.conversations[0].turns[0].expect');
    });

    it('refuses a probes file naming a function the stack lacks', async () => {
      const { code, err } = await runCli([
        'render',
        '--stack',
        stackWith(BOT_PROBES.replace('  bot:', '  bott:')),
      ]);
      expect(code).toBe(2);
      expect(err).toContain('function "bott" is not in the stack file');
    });
  });
});
