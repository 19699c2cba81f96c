// Chart values a user can get wrong. Each is installed with the real helm against the API
// stand-in and must be refused — by values.schema.json (`schema`) or by a rule across several
// values checked with `fail` in a template (`template`) — with a message that names the value
// (`says[0]`) and what it wants instead (`says[1]`), before helm writes anything.

export interface ChartCase {
  chart: 'chatbot' | 'greenlight-gate';
  name: string;
  /** Helm's release name; the chart's name by default. */
  release?: string;
  by: 'schema' | 'template';
  values: object;
  says: [string, string];
}

export const CHART_CASES: ChartCase[] = [
  {
    chart: 'chatbot',
    name: 'analysis key misspelt',
    by: 'schema',
    values: { image: { repository: 'ghcr.io/acme/chatbot' }, analysis: { stepweight: 20 } },
    says: ["at '/analysis'", "'stepweight' not allowed"],
  },
  {
    chart: 'chatbot',
    name: 'approval as text',
    by: 'schema',
    values: { image: { repository: 'ghcr.io/acme/chatbot' }, approval: { enabled: 'yes' } },
    says: ["at '/approval/enabled'", 'want boolean'],
  },
  {
    chart: 'chatbot',
    name: 'autoscaling max below min',
    by: 'template',
    values: {
      image: { repository: 'ghcr.io/acme/chatbot' },
      autoscaling: { enabled: true, minReplicas: 4, maxReplicas: 2 },
    },
    says: ['autoscaling.maxReplicas must be at least autoscaling.minReplicas (4), got 2', 'got 2'],
  },
  {
    chart: 'chatbot',
    name: 'blue green with step weight',
    by: 'template',
    values: {
      image: { repository: 'ghcr.io/acme/chatbot' },
      strategy: 'blue-green',
      analysis: { stepWeight: 20 },
    },
    says: [
      'analysis.stepWeight is only for strategy: canary',
      'Drop analysis.stepWeight, or set strategy: canary',
    ],
  },
  {
    chart: 'chatbot',
    name: 'canary with iterations',
    by: 'template',
    values: { image: { repository: 'ghcr.io/acme/chatbot' }, analysis: { iterations: 5 } },
    says: [
      'analysis.iterations is only for strategy: blue-green',
      'Set strategy: blue-green, or drop analysis.iterations',
    ],
  },
  {
    chart: 'chatbot',
    name: 'digest not sha256',
    by: 'schema',
    values: { image: { repository: 'ghcr.io/acme/chatbot', digest: 'latest' } },
    says: ["at '/image/digest'", "does not match pattern '^$|^sha256:[a-f0-9]{64}$'"],
  },
  {
    chart: 'chatbot',
    name: 'gate url without scheme',
    by: 'schema',
    values: {
      image: { repository: 'ghcr.io/acme/chatbot' },
      approval: { enabled: true, gateUrl: 'greenlight-gate.greenlight:8080' },
    },
    says: ["at '/approval/gateUrl'", "does not match pattern '^https?://"],
  },
  {
    chart: 'chatbot',
    name: 'image missing',
    by: 'template',
    values: { provider: 'linkerd' },
    says: ['image.repository is required', 'e.g. --set image.repository=ghcr.io/acme/chatbot'],
  },
  {
    chart: 'chatbot',
    name: 'interval below 10s',
    by: 'template',
    values: { image: { repository: 'ghcr.io/acme/chatbot' }, analysis: { interval: '5s' } },
    says: [
      'analysis.interval must be at least 10s, got 5s',
      'Flagger treats shorter intervals as 10s',
    ],
  },
  {
    chart: 'chatbot',
    name: 'interval in hours',
    by: 'schema',
    values: { image: { repository: 'ghcr.io/acme/chatbot' }, analysis: { interval: '1h' } },
    says: ["at '/analysis/interval'", 'does not match pattern'],
  },
  {
    chart: 'chatbot',
    name: 'interval without unit',
    by: 'schema',
    values: { image: { repository: 'ghcr.io/acme/chatbot' }, analysis: { interval: 30 } },
    says: ["at '/analysis/interval'", 'want string'],
  },
  {
    chart: 'chatbot',
    name: 'latency zero',
    by: 'schema',
    values: { image: { repository: 'ghcr.io/acme/chatbot' }, analysis: { maxLatencyMs: 0 } },
    says: ["at '/analysis/maxLatencyMs'", 'exclusiveMinimum: got 0, want 0'],
  },
  {
    chart: 'chatbot',
    name: 'max weight below step weight',
    by: 'template',
    values: {
      image: { repository: 'ghcr.io/acme/chatbot' },
      analysis: { stepWeight: 30, maxWeight: 20 },
    },
    says: [
      'analysis.maxWeight must be at least analysis.stepWeight (30), got 20',
      'Raise analysis.maxWeight or lower analysis.stepWeight',
    ],
  },
  {
    chart: 'chatbot',
    name: 'name uppercase',
    by: 'schema',
    values: { image: { repository: 'ghcr.io/acme/chatbot' }, name: 'SlackBot' },
    says: ["at '/name'", "does not match pattern '^$|^[a-z]"],
  },
  {
    chart: 'chatbot',
    name: 'port out of range',
    by: 'schema',
    values: { image: { repository: 'ghcr.io/acme/chatbot' }, port: 70000 },
    says: ["at '/port'", 'want 65,535'],
  },
  {
    chart: 'chatbot',
    name: 'prometheus without scheme',
    by: 'schema',
    values: {
      image: { repository: 'ghcr.io/acme/chatbot' },
      prometheus: { address: 'prometheus.linkerd-viz:9090' },
    },
    says: ["at '/prometheus/address'", "does not match pattern '^$|^https?://"],
  },
  {
    chart: 'chatbot',
    name: 'provider istio',
    by: 'schema',
    values: { image: { repository: 'ghcr.io/acme/chatbot' }, provider: 'istio' },
    says: ["at '/provider'", "value must be one of '', 'gatewayapi', 'linkerd'"],
  },
  // Helm allows dots in release names; Service names (DNS-1035 labels) do not.
  {
    chart: 'chatbot',
    name: 'release name with dot',
    release: 'chat.bot',
    by: 'template',
    values: { image: { repository: 'ghcr.io/acme/chatbot' } },
    says: ['name "chat.bot" cannot name a Canary', "Use lowercase letters, digits and '-'"],
  },
  {
    chart: 'chatbot',
    name: 'step weight over 100',
    by: 'schema',
    values: { image: { repository: 'ghcr.io/acme/chatbot' }, analysis: { stepWeight: 150 } },
    says: ["at '/analysis/stepWeight'", 'want 100'],
  },
  {
    chart: 'chatbot',
    name: 'step weights as text',
    by: 'schema',
    values: {
      image: { repository: 'ghcr.io/acme/chatbot' },
      analysis: { stepWeights: ['5', '10'] },
    },
    says: ["at '/analysis/stepWeights/0'", 'want integer'],
  },
  {
    chart: 'chatbot',
    name: 'step weights falling',
    by: 'template',
    values: { image: { repository: 'ghcr.io/acme/chatbot' }, analysis: { stepWeights: [10, 5] } },
    says: [
      'analysis.stepWeights must rise step by step, got [10,5]',
      'For example [5, 10, 25, 50]',
    ],
  },
  {
    chart: 'chatbot',
    name: 'step weights with max weight',
    by: 'template',
    values: {
      image: { repository: 'ghcr.io/acme/chatbot' },
      analysis: { maxWeight: 50, stepWeights: [5, 10, 25] },
    },
    says: [
      'analysis.maxWeight cannot be combined with analysis.stepWeights',
      'Drop analysis.maxWeight',
    ],
  },
  {
    chart: 'chatbot',
    name: 'step weights with step weight',
    by: 'template',
    values: {
      image: { repository: 'ghcr.io/acme/chatbot' },
      analysis: { stepWeight: 10, stepWeights: [5, 10, 25] },
    },
    says: [
      'analysis.stepWeights cannot be combined with analysis.stepWeight',
      'Give either analysis.stepWeight (with analysis.maxWeight) or analysis.stepWeights',
    ],
  },
  {
    chart: 'chatbot',
    name: 'strategy ab testing',
    by: 'schema',
    values: { image: { repository: 'ghcr.io/acme/chatbot' }, strategy: 'ab-testing' },
    says: ["at '/strategy'", "value must be one of 'canary', 'blue-green'"],
  },
  {
    chart: 'chatbot',
    name: 'success rate over 100',
    by: 'schema',
    values: { image: { repository: 'ghcr.io/acme/chatbot' }, analysis: { minSuccessRate: 150 } },
    says: ["at '/analysis/minSuccessRate'", 'want 100'],
  },
  {
    chart: 'chatbot',
    name: 'threshold zero',
    by: 'schema',
    values: { image: { repository: 'ghcr.io/acme/chatbot' }, analysis: { threshold: 0 } },
    says: ["at '/analysis/threshold'", 'want 1'],
  },
  {
    chart: 'chatbot',
    name: 'unknown top level key',
    by: 'schema',
    values: { image: { repository: 'ghcr.io/acme/chatbot' }, canary: { stepWeight: 10 } },
    says: ["at '': additional properties 'canary'", 'not allowed'],
  },
  {
    chart: 'greenlight-gate',
    name: 'empty image',
    by: 'schema',
    values: { image: { repository: '' } },
    says: ["at '/image/repository'", 'minLength: got 0, want 1'],
  },
  {
    chart: 'greenlight-gate',
    name: 'one replica',
    by: 'schema',
    values: { replicas: 1 },
    says: ["at '/replicas'", 'minimum: got 1, want 2'],
  },
  {
    chart: 'greenlight-gate',
    name: 'pdb blocks every drain',
    by: 'template',
    values: { podDisruptionBudget: { minAvailable: 2 } },
    says: [
      'podDisruptionBudget.minAvailable (2) must be below replicas (2)',
      'must be below replicas (2)',
    ],
  },
  {
    chart: 'greenlight-gate',
    name: 'admission policy on with nobody who may approve',
    by: 'template',
    values: {},
    says: ['admissionPolicy.approvers is empty', 'admissionPolicy.enabled=false'],
  },
  {
    chart: 'greenlight-gate',
    name: 'approver names given as one string',
    by: 'schema',
    values: {
      admissionPolicy: {
        approvers: { usernames: 'system:serviceaccount:greenlight:greenlight-approve' },
      },
    },
    says: ["at '/admissionPolicy/approvers/usernames'", 'got string, want array'],
  },
  {
    chart: 'greenlight-gate',
    name: 'run as root',
    by: 'schema',
    values: { runAsUser: 0 },
    says: ["at '/runAsUser'", 'minimum: got 0, want 1'],
  },
  {
    chart: 'greenlight-gate',
    name: 'service monitor interval words',
    by: 'schema',
    values: { serviceMonitor: { enabled: true, interval: 'every minute' } },
    says: ["at '/serviceMonitor/interval'", "does not match pattern '^[0-9]+(ms|s|m|h)$'"],
  },
  {
    chart: 'greenlight-gate',
    name: 'unknown key',
    by: 'schema',
    values: { rbac: { create: false } },
    says: ["at '': additional properties 'rbac'", 'not allowed'],
  },
  {
    chart: 'greenlight-gate',
    name: 'watch namespace uppercase',
    by: 'schema',
    values: { watchNamespace: 'OpenFaaS-Fn' },
    says: ["at '/watchNamespace'", 'does not match pattern'],
  },
  {
    chart: 'chatbot',
    name: 'blue-green without probes',
    by: 'template',
    values: { image: { repository: 'ghcr.io/acme/chatbot' }, strategy: 'blue-green' },
    says: [
      'strategy: blue-green needs a probe for function "chatbot"',
      'Give function "chatbot" conversations in probes.conversations',
    ],
  },
  {
    chart: 'chatbot',
    name: 'probe rounds of 0',
    by: 'schema',
    values: { image: { repository: 'ghcr.io/acme/chatbot' }, probes: { rounds: 0 } },
    says: ["at '/probes/rounds'", 'minimum'],
  },
  {
    chart: 'chatbot',
    name: 'probe rounds making a run longer than the prober takes',
    by: 'template',
    values: {
      image: { repository: 'ghcr.io/acme/chatbot' },
      probes: {
        rounds: 100,
        conversations: [
          {
            name: 'greets',
            turns: [
              { webchat: 'hello', expect: { contains: 'hello' } },
              { webchat: 'ping', expect: { contains: 'pong' } },
              { webchat: 'bye', expect: { contains: 'bye' } },
            ],
          },
        ],
      },
    },
    says: [
      'probes.rounds: is 100, and with it a run sends 300 requests (3 turns × 100 rounds)',
      'Lower it, e.g. probes.rounds: 66',
    ],
  },
  {
    chart: 'greenlight-gate',
    name: 'probe request timeout past what the metadata may ask for',
    by: 'schema',
    values: { probe: { requestTimeout: 61 } },
    says: ["at '/probe/requestTimeout'", 'maximum'],
  },
  {
    chart: 'chatbot',
    name: 'alerts destination holding a webhook URL',
    by: 'template',
    values: {
      image: { repository: 'ghcr.io/acme/chatbot' },
      alerts: { destinations: 'slack:https://hooks.slack.com/services/T0/B0/not-for-logs' },
    },
    says: ['alerts.destinations takes no webhook URL', 'as the address key of a Secret'],
  },
  {
    chart: 'chatbot',
    name: 'alerts destination of an unknown type',
    by: 'template',
    values: {
      image: { repository: 'ghcr.io/acme/chatbot' },
      alerts: { destinations: 'teams:teams-webhook' },
    },
    says: ['"teams" in "teams:teams-webhook" is not an alert provider', 'Use one of slack'],
  },
];
