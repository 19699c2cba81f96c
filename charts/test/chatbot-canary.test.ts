import { beforeAll, describe, expect, test } from '@jest/globals';
import { stringify } from 'yaml';
import {
  parseProbeFile,
  renderCanary,
  resolveCanaryOptions,
  type CanaryOptionsInput,
  type FunctionProbe,
  type OptionError,
} from '@greenlight/core';
import { pick, render, template, type K8sObject } from './render.ts';

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
  > & {
    testers?: { header?: string; cookie?: string; iterations?: number };
    sessionAffinity?: { cookieName: string; maxAge?: number };
  };
  approval?: { enabled: boolean; gateUrl?: string };
  prometheus?: { address: string };
  owner?: string;
  probes?: ProbeValues;
  alerts?: { destinations?: string; clusterName?: string };
}

/** The chart's probes values: url and rounds, and one function's entry of probes.yml. */
interface ProbeValues {
  url?: string;
  rounds?: number;
  path?: string;
  signingSecret?: { secret: string; key: string };
  conversations: unknown[];
}

// Every request shape probes.yml has, shorthand included, and every expectation.
const PROBES: ProbeValues = {
  signingSecret: { secret: 'chatbot-slack', key: 'signing-secret' },
  conversations: [
    {
      name: 'greets on the web chat',
      turns: [
        { webchat: 'hello', expect: { contains: 'says: hello' } },
        { webchat: { message: 'ping', user: 'probe' }, expect: { status: 200, matches: 'pong$' } },
      ],
    },
    {
      name: 'answers in slack',
      turns: [
        {
          slackCommand: { command: '/chatbot', text: 'version', userName: 'probe' },
          expect: { contains: 'version' },
        },
        { slackCommand: { command: '/chatbot' }, expect: { status: 200, contains: 'Usage' } },
        {
          slackEvent: {
            type: 'app_mention',
            text: '<@U0BOT> ping',
            user: 'U0PROBE',
            channel: 'C0PROBE',
          },
          expect: { matches: 'pong' },
        },
      ],
    },
  ],
};

/** The function's probe as the CLI and the action read it: the same entry through probes.yml. */
function probeFor(name: string, values: ChatbotValues): FunctionProbe | undefined {
  if (!values.probes) return undefined;
  const { path, signingSecret, conversations } = values.probes;
  const entry = {
    ...(path ? { path } : {}),
    ...(signingSecret ? { signingSecret } : {}),
    conversations,
  };
  const file = parseProbeFile(
    stringify({ version: 1, functions: { [name]: entry } }),
    'probes.yml',
  );
  return file.functions[name];
}

/** Webhook metadata with the probe JSON parsed: Helm's toJson orders keys, JSON.stringify does not. */
function withParsedProbes(objects: object[]): object[] {
  return objects.map((object) => {
    const spec = (
      object as { spec?: { analysis?: { webhooks?: { metadata?: Record<string, string> }[] } } }
    ).spec;
    const webhooks = spec?.analysis?.webhooks;
    if (!webhooks) return object;
    const parsed = webhooks.map((w) =>
      w.metadata?.probe
        ? { ...w, metadata: { ...w.metadata, probe: JSON.parse(w.metadata.probe) } }
        : w,
    );
    return { ...object, spec: { ...spec, analysis: { ...spec.analysis, webhooks: parsed } } };
  });
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
    ...analysisOptions(values.analysis),
    ...(values.approval?.enabled ? { approval: true } : {}),
    ...(values.approval?.enabled && values.approval.gateUrl
      ? { gateUrl: values.approval.gateUrl }
      : {}),
    ...(values.prometheus?.address ? { prometheusAddress: values.prometheus.address } : {}),
    ...(values.owner ? { owner: values.owner } : {}),
    ...(values.probes?.url ? { probeUrl: values.probes.url } : {}),
    ...(values.probes?.rounds ? { probeRounds: values.probes.rounds } : {}),
    ...(values.alerts?.destinations ? { alerts: values.alerts.destinations } : {}),
    ...(values.alerts?.clusterName ? { clusterName: values.alerts.clusterName } : {}),
  };
}

/** analysis.testers and analysis.sessionAffinity are core's testers* and sticky* options. */
function analysisOptions(analysis: ChatbotValues['analysis'] = {}): Partial<CanaryOptionsInput> {
  const { testers, sessionAffinity, ...rest } = analysis;
  return {
    ...rest,
    ...(testers?.header ? { testersHeader: testers.header } : {}),
    ...(testers?.cookie ? { testersCookie: testers.cookie } : {}),
    ...(testers?.iterations ? { testersIterations: testers.iterations } : {}),
    ...(sessionAffinity ? { stickyCookie: sessionAffinity.cookieName } : {}),
    ...(sessionAffinity?.maxAge ? { stickyMaxAge: sessionAffinity.maxAge } : {}),
  };
}

const strategies: Record<string, ChatbotValues> = {
  'canary (defaults)': {},
  'canary with step weights': { analysis: { stepWeights: [5, 10, 25, 50] } },
  'blue-green': { strategy: 'blue-green', analysis: { iterations: 5 }, probes: PROBES },
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
      probes: PROBES,
    },
  ],
  [
    'a canary with probes at its own prober, 3 rounds, on a path of its own',
    {
      probes: {
        ...PROBES,
        url: 'https://probe.example.com:8443/',
        rounds: 3,
        path: '/chat',
      },
      approval: { enabled: true },
    },
  ],
  [
    'probes with a web chat only, no signing secret',
    {
      probes: {
        conversations: [{ name: 'greets', turns: [{ webchat: 'hi', expect: { contains: 'hi' } }] }],
      },
    },
  ],
  [
    'the Backstage entity that owns it (greenlight.dev/owner)',
    { owner: 'component:default/chatbot', approval: { enabled: true } },
  ],
  [
    "alerts to Slack, Teams and Google Chat, the cluster naming Slack's sender",
    {
      provider: 'linkerd',
      alerts: {
        destinations: 'slack:rollouts-webhook#deploys@warn, msteams:teams-webhook,gchat:chat@error',
        clusterName: 'prod-eu',
      },
    },
  ],
  ['no provider: a first install (helm template finds no Canary) gets gatewayapi', {}],
  [
    'testers first by a header (exact) and a cookie, 3 iterations',
    {
      analysis: {
        testers: {
          header: 'X-Slack-Team-Id=T0123',
          cookie: 'greenlight.tester=y+s',
          iterations: 3,
        },
      },
    },
  ],
  [
    'testers first by a header pattern, the default iterations, with approval',
    {
      analysis: { testers: { header: 'X-Slack-Team-Id=~^T0(12|34)$' } },
      approval: { enabled: true },
    },
  ],
  [
    'sticky conversations with a max age, on step weights',
    {
      analysis: {
        stepWeights: [10, 30, 50],
        sessionAffinity: { cookieName: 'greenlight-version', maxAge: 1800 },
      },
    },
  ],
  [
    'sticky conversations, Flagger’s max age',
    { analysis: { sessionAffinity: { cookieName: 'gl' } } },
  ],
  [
    'blue-green with the default iterations',
    {
      strategy: 'blue-green',
      approval: { enabled: false, gateUrl: 'http://ignored:1' },
      probes: PROBES,
    },
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
    // Helm orders objects by kind; core puts the Canary first.
    const byKind = (kind: string) => objects.filter((o) => o.kind === kind);
    const fromChart = [
      ...byKind('Canary'),
      ...byKind('MetricTemplate'),
      ...byKind('AlertProvider'),
    ];
    const name = values.name ?? 'chatbot';
    const probe = probeFor(name, values);
    const fromCore = renderCanary(
      { name, ...(probe ? { probe } : {}) },
      resolveCanaryOptions(optionsFor(values)),
    );
    expect(withParsedProbes(fromChart)).toEqual(withParsedProbes(fromCore));
  });

  test('the matrix covers both providers, every strategy and approval on and off', () => {
    expect(matrix).toHaveLength(2 * 4 * 2);
  });
});

describe("the chatbot chart's probe refusals, in core's words", () => {
  test('refuses blue-green without conversations, as render does, naming probes.conversations', async () => {
    const result = await template('chatbot', { ...IMAGE, strategy: 'blue-green' });
    expect(result.ok).toBe(false);
    let core = '';
    try {
      renderCanary({ name: 'chatbot' }, resolveCanaryOptions({ strategy: 'blue-green' }));
    } catch (error) {
      core = (error as OptionError).spelled((option, value) =>
        option === 'probes'
          ? 'probes.conversations'
          : value === undefined
            ? option
            : `${option}: ${value}`,
      ).message;
    }
    expect(core).not.toBe('');
    expect(result.error).toContain(core);
  });

  test('refuses a Slack turn without probes.signingSecret', async () => {
    const result = await template('chatbot', {
      ...IMAGE,
      probes: {
        conversations: [
          {
            name: 'slack',
            turns: [{ slackCommand: { command: '/ask' }, expect: { contains: 'x' } }],
          },
        ],
      },
    });
    expect(result.ok).toBe(false);
    expect(result.error).toContain('probes.conversations "slack" has a Slack turn');
    expect(result.error).toContain('Set probes.signingSecret');
  });

  test('refuses a turn that checks nothing the bot said, as the probes file does', async () => {
    const result = await template('chatbot', {
      ...IMAGE,
      probes: {
        conversations: [{ name: 'quiet', turns: [{ webchat: 'hi', expect: { status: 200 } }] }],
      },
    });
    expect(result.ok).toBe(false);
    expect(result.error).toContain(
      'probes.conversations "quiet" has a turn whose expect checks nothing the bot said',
    );
  });

  test('refuses a turn with no request or two, by the schema', async () => {
    const result = await template('chatbot', {
      ...IMAGE,
      probes: { conversations: [{ name: 'x', turns: [{ expect: { contains: 'a' } }] }] },
    });
    expect(result.ok).toBe(false);
    expect(result.error).toMatch(
      /probes\.conversations\.0\.turns\.0|probes\/conversations\/0\/turns\/0/,
    );
  });

  test('refuses probes.rounds that make a run longer than the prober takes, in core’s words', async () => {
    const probes = { ...PROBES, rounds: 41 };
    const result = await template('chatbot', { ...IMAGE, probes });
    expect(result.ok).toBe(false);
    let core = '';
    try {
      renderCanary(
        { name: 'chatbot', probe: probeFor('chatbot', { probes })! },
        resolveCanaryOptions({ probeRounds: 41 }),
      );
    } catch (error) {
      core = (error as OptionError).spelled((option, value) =>
        option === 'probes'
          ? 'probes.conversations'
          : option === 'probeRounds'
            ? `probes.rounds${value === undefined ? '' : `: ${value}`}`
            : option,
      ).message;
    }
    expect(core).toMatch(/^probes\.rounds: is 41, and with it a run sends \d+ requests/);
    expect(result.error).toContain(core);
  });
});

describe("the chatbot chart's Deployment and the probe's signing Secret", () => {
  const volumes = (objects: K8sObject[]) => {
    const pod = (
      pick(objects, 'Deployment', 'chatbot') as unknown as { spec: { template: { spec: Pod } } }
    ).spec.template.spec;
    return { volumes: pod.volumes, mounts: pod.containers[0]?.volumeMounts };
  };
  type Pod = { volumes?: object[]; containers: { volumeMounts?: object[] }[] };

  test('mounts probes.signingSecret where OpenFaaS mounts secrets, so the prober may sign with it', async () => {
    const objects = await render('chatbot', { ...IMAGE, probes: PROBES });
    expect(volumes(objects)).toEqual({
      volumes: [{ name: 'signing-secret', secret: { secretName: 'chatbot-slack' } }],
      mounts: [{ name: 'signing-secret', mountPath: '/var/openfaas/secrets', readOnly: true }],
    });
  });

  test('mounts nothing without a signing secret', async () => {
    const objects = await render('chatbot', {
      ...IMAGE,
      probes: {
        conversations: [{ name: 'w', turns: [{ webchat: 'hi', expect: { contains: 'hi' } }] }],
      },
    });
    expect(volumes(objects)).toEqual({ volumes: undefined, mounts: undefined });
  });
});
