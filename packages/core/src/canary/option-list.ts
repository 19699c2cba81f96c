// The canary options, declared once: what each one is and how every surface spells it.
// The CLI's flags, the action's inputs and the chart's values are tested against this list
// (packages/cli/test/canary-flags.test.ts, action/test/action-yml.test.ts,
// charts/test/chatbot-options.test.ts), so adding an option here without adding it
// there, or the reverse, fails a test.
import type { CanaryOptionsInput } from './options.ts';

export type CanaryOptionName = keyof CanaryOptionsInput;

export interface CanaryOptionSpec {
  /** How a surface's text becomes the value: `numbers` is a comma-separated list. */
  type: 'text' | 'number' | 'numbers' | 'switch';
  /** The values a `text` option allows, when it is one of a few. */
  choices?: readonly string[];
  /** What it means, one phrase; the CLI's `--help` and the action's docs say this. */
  meaning: string;
  /** The CLI flag. */
  flag: `--${string}`;
  /** The GitHub Action input, or null when the action sets it itself. */
  input: string | null;
  /** The chatbot chart's values key (dotted path), or null when the chart sets it itself. */
  value: string | null;
}

export const CANARY_OPTIONS = {
  namespace: {
    type: 'text',
    meaning: 'namespace of the function, its Canary and MetricTemplates',
    flag: '--namespace',
    input: 'namespace',
    // The chart renders into the release's namespace (helm install -n).
    value: null,
  },
  provider: {
    type: 'text',
    choices: ['gatewayapi', 'linkerd'],
    meaning:
      'gatewayapi (HTTPRoute gateway.networking.k8s.io/v1, Linkerd >= 2.14) or linkerd (SMI TrafficSplit, deprecated); an existing Canary keeps its own unless given',
    flag: '--provider',
    input: 'provider',
    value: 'provider',
  },
  strategy: {
    type: 'text',
    choices: ['canary', 'blue-green'],
    meaning: 'canary (weighted steps) or blue-green (iterations, then a full switch)',
    flag: '--strategy',
    input: 'strategy',
    value: 'strategy',
  },
  stepWeight: {
    type: 'number',
    meaning: 'percent of traffic added to green at each step (canary)',
    flag: '--step-weight',
    input: 'step-weight',
    value: 'analysis.stepWeight',
  },
  maxWeight: {
    type: 'number',
    meaning: "green's weight at which analysis ends and promotion starts (canary)",
    flag: '--max-weight',
    input: 'max-weight',
    value: 'analysis.maxWeight',
  },
  stepWeights: {
    type: 'numbers',
    meaning: 'explicit rising steps instead of a step weight, e.g. 5,10,25,50 (canary)',
    flag: '--step-weights',
    input: 'step-weights',
    value: 'analysis.stepWeights',
  },
  iterations: {
    type: 'number',
    meaning: 'analysis runs before promotion (blue-green)',
    flag: '--iterations',
    input: 'iterations',
    value: 'analysis.iterations',
  },
  testersHeader: {
    type: 'text',
    meaning:
      'testers first (A/B, gatewayapi): requests with this header reach the new version, Name=value or Name=~RE2, e.g. X-Slack-Team-Id=T0123',
    flag: '--testers-header',
    input: 'testers-header',
    value: 'analysis.testers.header',
  },
  testersCookie: {
    type: 'text',
    meaning: 'testers first (A/B, gatewayapi): requests with this cookie, name=value',
    flag: '--testers-cookie',
    input: 'testers-cookie',
    value: 'analysis.testers.cookie',
  },
  testersIterations: {
    type: 'number',
    meaning: 'analysis runs on the testers alone before promotion (testers first)',
    flag: '--testers-iterations',
    input: 'testers-iterations',
    value: 'analysis.testers.iterations',
  },
  stickyCookie: {
    type: 'text',
    meaning:
      'sticky conversations (gatewayapi canary): the cookie that keeps a client on one version',
    flag: '--sticky-cookie',
    input: 'sticky-cookie',
    value: 'analysis.sessionAffinity.cookieName',
  },
  stickyMaxAge: {
    type: 'number',
    meaning: 'seconds the sticky cookie lives',
    flag: '--sticky-max-age',
    input: 'sticky-max-age',
    value: 'analysis.sessionAffinity.maxAge',
  },
  interval: {
    type: 'text',
    meaning: 'time between steps, e.g. 30s, 1m',
    flag: '--interval',
    input: 'interval',
    value: 'analysis.interval',
  },
  threshold: {
    type: 'number',
    meaning: 'failed checks before rollback',
    flag: '--threshold',
    input: 'threshold',
    value: 'analysis.threshold',
  },
  minSuccessRate: {
    type: 'number',
    meaning: 'lowest acceptable success rate in percent',
    flag: '--min-success-rate',
    input: 'min-success-rate',
    value: 'analysis.minSuccessRate',
  },
  maxLatencyMs: {
    type: 'number',
    meaning: 'highest acceptable p99 latency in ms',
    flag: '--max-latency-ms',
    input: 'max-latency-ms',
    value: 'analysis.maxLatencyMs',
  },
  approval: {
    type: 'switch',
    meaning: 'hold promotion until approved (adds the greenlight-gate webhooks)',
    flag: '--approval',
    input: 'approval',
    value: 'approval.enabled',
  },
  gateUrl: {
    type: 'text',
    meaning: 'base URL of greenlight-gate as Flagger reaches it, with approval',
    flag: '--gate-url',
    input: 'gate-url',
    value: 'approval.gateUrl',
  },
  probeUrl: {
    type: 'text',
    meaning: 'base URL of greenlight-probe as Flagger reaches it, for functions with probes',
    flag: '--probe-url',
    input: 'probe-url',
    value: 'probes.url',
  },
  probeRounds: {
    type: 'number',
    meaning: 'times each analysis iteration runs every conversation of a probe',
    flag: '--probe-rounds',
    input: 'probe-rounds',
    value: 'probes.rounds',
  },
  port: {
    type: 'number',
    meaning: "port of the function's Service and container",
    flag: '--port',
    // Not an action input: the action's Canaries use the default, the OpenFaaS watchdog's.
    input: null,
    value: 'port',
  },
  prometheusAddress: {
    type: 'text',
    meaning: "Prometheus with Linkerd's metrics, as Flagger reaches it",
    flag: '--prometheus-address',
    // Not the action's prometheus-url: that is where the action itself reads metrics for its
    // report, from the runner; this is where Flagger's MetricTemplates query, in the cluster.
    input: 'prometheus-address',
    value: 'prometheus.address',
  },
  owner: {
    type: 'text',
    meaning: 'the Backstage entity the Canary belongs to, e.g. component:default/chatbot',
    flag: '--owner',
    input: 'owner',
    value: 'owner',
  },
  alerts: {
    type: 'text',
    meaning:
      "where Flagger posts alerts: <type>:<secret>[#channel][@severity],… (slack, msteams, discord, rocket, gchat; the Secret's address key holds the webhook URL)",
    flag: '--alerts',
    input: 'alerts',
    value: 'alerts.destinations',
  },
  clusterName: {
    type: 'text',
    meaning: "the cluster's name, shown as the alerts' sender (slack, discord, rocket)",
    flag: '--cluster-name',
    input: 'cluster-name',
    value: 'alerts.clusterName',
  },
} as const satisfies Record<CanaryOptionName, CanaryOptionSpec>;

export const CANARY_OPTION_NAMES = Object.keys(CANARY_OPTIONS) as CanaryOptionName[];

/** The CLI flag of each option, so errors and `--help` name the same thing. */
export const CANARY_OPTION_FLAGS = Object.fromEntries(
  CANARY_OPTION_NAMES.map((name) => [name, CANARY_OPTIONS[name].flag]),
) as { readonly [K in CanaryOptionName]: (typeof CANARY_OPTIONS)[K]['flag'] };
