import { describe, expect, test } from '@jest/globals';
import type { KubernetesObject } from '@kubernetes/client-node';
import type { Canary, MetricTemplate } from 'flagger-types';
import type { FunctionProbe } from '../src/probes/types.ts';
import {
  DEFAULT_PROBE_TIMEOUT_MS,
  OptionError,
  probeFromMetadata,
  renderCanary,
  resolveCanaryOptions,
  UserError,
  type CanaryOptionsInput,
  type RenderedCanary,
} from '../src/index.ts';

const PROBE: FunctionProbe = {
  path: '/',
  signingSecret: { secret: 'chatbot-slack', key: 'signing-secret' },
  conversations: [
    {
      name: 'greets',
      turns: [{ request: { kind: 'webchat', message: 'hello' }, expect: { contains: 'Hello' } }],
    },
    {
      name: 'asks in slack',
      turns: [
        {
          request: { kind: 'slack-command', command: '/ask', text: 'what colour are you?' },
          expect: { matches: 'blue|green' },
        },
        {
          request: { kind: 'slack-event', event: { type: 'app_mention', text: 'ping' } },
          expect: { contains: 'pong' },
        },
      ],
    },
  ],
};

const render = (input: Partial<CanaryOptionsInput> = {}, name = 'slack-bot'): RenderedCanary =>
  renderCanary({ name }, resolveCanaryOptions(input));

describe('renderCanary with the linkerd provider (SMI, deprecated)', () => {
  const linkerd = (input: Partial<CanaryOptionsInput> = {}) =>
    render({ provider: 'linkerd', ...input });
  const [canary, ...templates] = linkerd();

  test('renders one Canary and no MetricTemplates: Flagger has builtin Linkerd metrics', () => {
    expect(canary.apiVersion).toBe('flagger.app/v1beta1');
    expect(canary.kind).toBe('Canary');
    expect(templates).toEqual([]);
  });

  test("names the Canary after the function, in its namespace, labelled as Greenlight's", () => {
    expect(canary.metadata).toEqual({
      name: 'slack-bot',
      namespace: 'openfaas-fn',
      labels: {
        'app.kubernetes.io/managed-by': 'greenlight',
        'greenlight.dev/function': 'slack-bot',
      },
    });
  });

  test("targets the function's Deployment through an SMI TrafficSplit on port 8080", () => {
    expect(canary.spec.provider).toBe('linkerd');
    expect(canary.spec.targetRef).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'slack-bot',
    });
    expect(canary.spec.service).toEqual({ port: 8080, targetPort: 8080 });
    expect(canary.spec.progressDeadlineSeconds).toBe(600);
    expect(canary.spec.metricsServer).toBeUndefined();
  });

  test('steps 10% every 30s up to 50% and rolls back after 5 failed checks', () => {
    expect(canary.spec.analysis).toMatchObject({
      interval: '30s',
      threshold: 5,
      stepWeight: 10,
      maxWeight: 50,
    });
    expect(canary.spec.analysis.iterations).toBeUndefined();
    expect(canary.spec.analysis.stepWeights).toBeUndefined();
  });

  test("checks Flagger's builtin success rate (min %) and p99 duration (max ms)", () => {
    expect(canary.spec.analysis.metrics).toEqual([
      { name: 'request-success-rate', interval: '1m', thresholdRange: { min: 99 } },
      { name: 'request-duration', interval: '1m', thresholdRange: { max: 500 } },
    ]);
  });

  test('has no webhooks without approval', () => {
    expect(canary.spec.analysis.webhooks).toBeUndefined();
  });

  test('points Flagger at a given Prometheus through spec.metricsServer', () => {
    const [withProm] = linkerd({ prometheusAddress: 'http://prometheus.monitoring:9090' });
    expect(withProm.spec.metricsServer).toBe('http://prometheus.monitoring:9090');
  });

  test('carries thresholds and port into the Canary', () => {
    const [custom] = linkerd({
      minSuccessRate: 95,
      maxLatencyMs: 250,
      port: 3000,
      namespace: 'bots',
    });
    expect(custom.metadata.namespace).toBe('bots');
    expect(custom.spec.service).toEqual({ port: 3000, targetPort: 3000 });
    expect(custom.spec.analysis.metrics?.map((m) => m.thresholdRange)).toEqual([
      { min: 95 },
      { max: 250 },
    ]);
  });
});

describe('renderCanary with the gatewayapi provider', () => {
  const [canary, ...templates] = render({ provider: 'gatewayapi', namespace: 'bots' });

  test('is the default provider', () => {
    expect(render({ namespace: 'bots' })).toEqual([canary, ...templates]);
  });

  test("asks Flagger for an HTTPRoute gateway.networking.k8s.io/v1 (gatewayapi:v1) whose parent is the function's Service", () => {
    expect(canary.spec.provider).toBe('gatewayapi:v1');
    expect(canary.spec.service.gatewayRefs).toEqual([
      { name: 'slack-bot', namespace: 'bots', group: 'core', kind: 'Service', port: 8080 },
    ]);
  });

  test('renders a success-rate and a latency MetricTemplate per function on linkerd-viz Prometheus', () => {
    expect(
      (templates as MetricTemplate[]).map((t) => [
        t.metadata.name,
        t.metadata.namespace,
        t.spec.provider,
      ]),
    ).toEqual([
      [
        'slack-bot-success-rate',
        'bots',
        { type: 'prometheus', address: 'http://prometheus.linkerd-viz:9090' },
      ],
      [
        'slack-bot-latency',
        'bots',
        { type: 'prometheus', address: 'http://prometheus.linkerd-viz:9090' },
      ],
    ]);
    expect(
      templates.every((t) => t.metadata.labels?.['app.kubernetes.io/managed-by'] === 'greenlight'),
    ).toBe(true);
  });

  test("queries Linkerd's inbound response_total of the canary Deployment with Flagger's variables", () => {
    const query = (templates[0] as MetricTemplate).spec.query;
    expect(query).toContain('response_total{');
    expect(query).toContain('namespace="{{ namespace }}"');
    expect(query).toContain('deployment=~"{{ target }}"');
    expect(query).toContain('direction="inbound"');
    expect(query).toContain('classification!="failure"');
    expect(query).toContain('[{{ interval }}]');
    expect(query).toMatch(/\* 100$/);
  });

  test("queries the p99 of Linkerd's response_latency_ms_bucket", () => {
    const query = (templates[1] as MetricTemplate).spec.query;
    expect(query).toContain('histogram_quantile(\n  0.99,');
    expect(query).toContain('response_latency_ms_bucket{');
    expect(query).toContain('direction="inbound"');
    expect(query).toContain('by (le)');
  });

  test('references both templates from the Canary with the thresholds', () => {
    expect(canary.spec.analysis.metrics).toEqual([
      {
        name: 'success-rate',
        templateRef: { name: 'slack-bot-success-rate', namespace: 'bots' },
        interval: '1m',
        thresholdRange: { min: 99 },
      },
      {
        name: 'latency',
        templateRef: { name: 'slack-bot-latency', namespace: 'bots' },
        interval: '1m',
        thresholdRange: { max: 500 },
      },
    ]);
  });

  test('puts a given Prometheus address into the templates, not into spec.metricsServer', () => {
    const [c, ...t] = render({
      provider: 'gatewayapi',
      prometheusAddress: 'http://prom.monitoring:9090',
    });
    expect(c.spec.metricsServer).toBeUndefined();
    expect((t as MetricTemplate[]).map((template) => template.spec.provider.address)).toEqual([
      'http://prom.monitoring:9090',
      'http://prom.monitoring:9090',
    ]);
  });
});

describe('renderCanary strategies and approval', () => {
  test('renders blue-green as iterations only', () => {
    const [canary] = renderCanary(
      { name: 'slack-bot', probe: PROBE },
      resolveCanaryOptions({ strategy: 'blue-green', iterations: 6 }),
    );
    expect(canary.spec.analysis).toMatchObject({ interval: '30s', threshold: 5, iterations: 6 });
    expect(canary.spec.analysis.stepWeight).toBeUndefined();
    expect(canary.spec.analysis.maxWeight).toBeUndefined();
  });

  test('renders the 50/50 split as one step of 50 up to 50', () => {
    const [canary] = render({ stepWeight: 50, maxWeight: 50 });
    expect(canary.spec.analysis).toMatchObject({ stepWeight: 50, maxWeight: 50 });
  });

  test('renders explicit step weights without maxWeight', () => {
    const [canary] = render({ stepWeights: [5, 20, 50] });
    expect(canary.spec.analysis.stepWeights).toEqual([5, 20, 50]);
    expect(canary.spec.analysis.maxWeight).toBeUndefined();
  });

  test('with approval, holds promotion at the gate and lets the gate roll back', () => {
    const [canary] = render({ approval: true });
    expect(canary.spec.analysis.webhooks).toEqual([
      {
        name: 'greenlight-approval',
        type: 'confirm-promotion',
        url: 'http://greenlight-gate.greenlight.svc.cluster.local:8080/gate/promotion',
        timeout: '10s',
      },
      {
        name: 'greenlight-abort',
        type: 'rollback',
        url: 'http://greenlight-gate.greenlight.svc.cluster.local:8080/gate/rollback',
        timeout: '10s',
      },
    ]);
  });

  test('calls a gate given by URL', () => {
    const [canary] = render({ approval: true, gateUrl: 'https://gate.example.com/' });
    expect(canary.spec.analysis.webhooks?.map((w) => w.url)).toEqual([
      'https://gate.example.com/gate/promotion',
      'https://gate.example.com/gate/rollback',
    ]);
  });
});

describe('renderCanary output', () => {
  test('is a list of KubernetesObjects the Kubernetes layer can apply', () => {
    const objects: KubernetesObject[] = render({ provider: 'gatewayapi' });
    expect(objects.map((o) => `${o.kind}/${o.metadata?.name}`)).toEqual([
      'Canary/slack-bot',
      'MetricTemplate/slack-bot-success-rate',
      'MetricTemplate/slack-bot-latency',
    ]);
  });

  test('is plain JSON: it survives a round trip unchanged', () => {
    const objects = render({ provider: 'gatewayapi', approval: true });
    expect(JSON.parse(JSON.stringify(objects))).toEqual(objects);
  });

  test('does not share arrays with the options it came from', () => {
    const options = resolveCanaryOptions({ stepWeights: [10, 50] });
    const [canary]: [Canary, ...unknown[]] = renderCanary({ name: 'bot' }, options);
    canary.spec.analysis.stepWeights?.push(90);
    expect(options.stepWeights).toEqual([10, 50]);
  });

  test.each([
    ['Slack_Bot', 'capitals and underscores'],
    ['1bot', 'a leading digit (Service names are DNS-1035 labels)'],
    ['b'.repeat(56), 'more than 55 characters (room for -primary)'],
  ])('refuses function name %s: %s', (name) => {
    expect(() => render({}, name)).toThrow(UserError);
    try {
      render({}, name);
    } catch (error) {
      expect((error as UserError).field).toBe(`functions.${name}`);
      expect((error as UserError).hint).toContain('lowercase letters');
    }
  });
});

describe('renderCanary with a probe', () => {
  const probed = (input: Partial<CanaryOptionsInput> = {}) =>
    renderCanary({ name: 'slack-bot', probe: PROBE }, resolveCanaryOptions(input));

  test('calls greenlight-probe once before any traffic shifts and every iteration after', () => {
    const [canary] = probed();
    const webhooks = canary.spec.analysis.webhooks ?? [];
    expect(webhooks.map(({ name, type, url }) => ({ name, type, url }))).toEqual([
      {
        name: 'greenlight-probe-pre',
        type: 'pre-rollout',
        url: 'http://greenlight-probe.greenlight.svc.cluster.local:8080/probe/pre-rollout',
      },
      {
        name: 'greenlight-probe',
        type: 'rollout',
        url: 'http://greenlight-probe.greenlight.svc.cluster.local:8080/probe/rollout',
      },
    ]);
  });

  test("carries the function's probe, once before rollout and probeRounds times each iteration", () => {
    const [canary] = probed({ probeRounds: 3 });
    const [pre, rollout] = canary.spec.analysis.webhooks ?? [];
    // The prober reads them back with core's probeFromMetadata.
    expect(probeFromMetadata(pre?.metadata)).toEqual({
      probe: PROBE,
      rounds: 1,
      requestTimeoutMs: DEFAULT_PROBE_TIMEOUT_MS,
    });
    expect(probeFromMetadata(rollout?.metadata)).toEqual({
      probe: PROBE,
      rounds: 3,
      requestTimeoutMs: DEFAULT_PROBE_TIMEOUT_MS,
    });
  });

  test('gives each webhook time for every request it sends (turns × rounds), not Flagger’s 10s', () => {
    const [canary] = probed({ probeRounds: 4 });
    const [pre, rollout] = canary.spec.analysis.webhooks ?? [];
    // Sized from the per-request timeout the metadata tells the prober to keep to.
    for (const webhook of [pre, rollout]) {
      expect(webhook?.metadata?.requestTimeout).toBe(String(DEFAULT_PROBE_TIMEOUT_MS));
    }
    const perRequest = Number(pre?.metadata?.requestTimeout);
    const seconds = (requests: number) => `${10 + (requests * perRequest) / 1000}s`;
    // Three turns in all: one in "greets", two in "asks in slack".
    expect(pre?.timeout).toBe(seconds(3));
    expect(rollout?.timeout).toBe(seconds(12));
  });

  test('calls a prober given by URL, beside the gate with approval', () => {
    const [canary] = probed({ probeUrl: 'https://probe.example.com/', approval: true });
    expect(canary.spec.analysis.webhooks?.map((w) => [w.type, w.url])).toEqual([
      ['pre-rollout', 'https://probe.example.com/probe/pre-rollout'],
      ['rollout', 'https://probe.example.com/probe/rollout'],
      [
        'confirm-promotion',
        'http://greenlight-gate.greenlight.svc.cluster.local:8080/gate/promotion',
      ],
      ['rollback', 'http://greenlight-gate.greenlight.svc.cluster.local:8080/gate/rollback'],
    ]);
  });

  test('puts no secret in the Canary: a signing secret is named, never its value', () => {
    const [canary] = probed();
    const metadata = JSON.parse(canary.spec.analysis.webhooks?.[1]?.metadata?.probe ?? '');
    expect(metadata.signingSecret).toEqual({ secret: 'chatbot-slack', key: 'signing-secret' });
  });

  test('refuses blue-green without a probe, naming the probes file and the fix', () => {
    let error: unknown;
    try {
      render({ strategy: 'blue-green' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(OptionError);
    const refused = error as OptionError;
    expect(refused.option).toBe('strategy');
    expect(refused.message).toBe(
      'strategy: blue-green needs a probe for function "slack-bot": it sends no user traffic to the new version, so without one Flagger finds no metrics and rolls it back. Give function "slack-bot" conversations in probes, as docs/probes.md shows, or use strategy: canary.',
    );
    const asFlags = refused.spelled((option, value) =>
      option === 'probes' ? '--probes <file>' : `--${option}${value ? ` ${value}` : ''}`,
    );
    expect(asFlags.hint).toBe(
      'Give function "slack-bot" conversations in --probes <file>, as docs/probes.md shows, or use --strategy canary.',
    );
  });
});
