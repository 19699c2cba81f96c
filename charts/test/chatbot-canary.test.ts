import { beforeAll, describe, expect, test } from '@jest/globals';
import { renderCanary, resolveCanaryOptions, type CanaryOptionsInput } from '@greenlight/core';
import { render, type K8sObject } from './render.ts';

// One source of truth: for the same options the chart renders the very objects
// `greenlight render` (core's renderCanary) prints — labels included, nothing ignored.

interface ChatbotValues {
  name?: string;
  port?: number;
  provider?: 'linkerd' | 'gatewayapi';
  strategy?: 'canary' | 'blue-green';
  analysis?: Partial<
    Pick<
      CanaryOptionsInput,
      | 'interval'
      | 'threshold'
      | 'stepWeight'
      | 'maxWeight'
      | 'stepWeights'
      | 'iterations'
      | 'minSuccessRate'
      | 'maxLatencyMs'
    >
  >;
  approval?: { enabled: boolean; gateUrl?: string };
  prometheus?: { address: string };
  owner?: string;
}

const NAMESPACE = 'openfaas-fn';
const IMAGE = { image: { repository: 'ghcr.io/acme/chatbot', tag: '3f2c1ab' } };

/** The options a user means by these chart values, as the CLI and the action take them. */
function optionsFor(values: ChatbotValues): Partial<CanaryOptionsInput> {
  return {
    namespace: NAMESPACE,
    ...(values.provider ? { provider: values.provider } : {}),
    ...(values.strategy ? { strategy: values.strategy } : {}),
    ...(values.port ? { port: values.port } : {}),
    ...values.analysis,
    ...(values.approval?.enabled ? { approval: true } : {}),
    ...(values.approval?.enabled && values.approval.gateUrl
      ? { gateUrl: values.approval.gateUrl }
      : {}),
    ...(values.prometheus?.address ? { prometheusAddress: values.prometheus.address } : {}),
    ...(values.owner ? { owner: values.owner } : {}),
  };
}

const strategies: Record<string, ChatbotValues> = {
  'canary (defaults)': {},
  'canary with step weights': { analysis: { stepWeights: [5, 10, 25, 50] } },
  'blue-green': { strategy: 'blue-green', analysis: { iterations: 5 } },
  '50/50': { analysis: { stepWeight: 50, maxWeight: 50 } },
};
const matrix: [string, ChatbotValues][] = (['linkerd', 'gatewayapi'] as const).flatMap((provider) =>
  Object.entries(strategies).flatMap(([strategy, values]) =>
    [false, true].map((approval): [string, ChatbotValues] => [
      `${provider}, ${strategy}, approval ${approval}`,
      { ...values, provider, approval: { enabled: approval } },
    ]),
  ),
);
const extras: [string, ChatbotValues][] = [
  [
    'every analysis option set, linkerd with its own Prometheus',
    {
      name: 'slack-bot',
      port: 8081,
      provider: 'linkerd',
      analysis: {
        interval: '1m30s',
        threshold: 3,
        stepWeight: 20,
        maxWeight: 60,
        minSuccessRate: 99.5,
        maxLatencyMs: 250,
      },
      prometheus: { address: 'http://prometheus.monitoring:9090/' },
    },
  ],
  [
    'gatewayapi with its own Prometheus, a gate URL with a trailing slash',
    {
      provider: 'gatewayapi',
      strategy: 'blue-green',
      approval: { enabled: true, gateUrl: 'https://gate.example.com:8443/' },
      prometheus: { address: 'http://prometheus.monitoring:9090' },
    },
  ],
  [
    'the Backstage entity that owns it (greenlight.dev/owner)',
    { owner: 'component:default/chatbot', approval: { enabled: true } },
  ],
  [
    'blue-green with the default iterations',
    { strategy: 'blue-green', approval: { enabled: false, gateUrl: 'http://ignored:1' } },
  ],
];
const cases = [...matrix, ...extras];

const charts = new Map<string, K8sObject[]>();
beforeAll(async () => {
  // One helm process per case, all at once.
  const rendered = await Promise.all(
    cases.map(([, values]) =>
      render('chatbot', { ...IMAGE, ...values }, { namespace: NAMESPACE, release: 'chatbot' }),
    ),
  );
  cases.forEach(([title], i) => charts.set(title, rendered[i] as K8sObject[]));
});

describe('the chatbot chart and greenlight render', () => {
  test.each(cases)('%s: the chart renders the same Canary and MetricTemplates', (title, values) => {
    const objects = charts.get(title) as K8sObject[];
    const fromChart = objects.filter((o) => o.kind === 'Canary' || o.kind === 'MetricTemplate');
    const fromCore = renderCanary(
      { name: values.name ?? 'chatbot' },
      resolveCanaryOptions(optionsFor(values)),
    );
    expect(fromChart).toEqual(fromCore);
  });

  test('the matrix covers both providers, every strategy and approval on and off', () => {
    expect(matrix).toHaveLength(2 * 4 * 2);
  });
});
