// The options Greenlight renders a Canary from: what a user may set (CLI flags, action
// inputs) and what remains after defaults and checks.
import type { AlertDestination } from './alerts.ts';

export type CanaryProvider = 'linkerd' | 'gatewayapi';
export type CanaryStrategy = 'canary' | 'blue-green';

/**
 * What render, plan and the action's log say of `provider: linkerd`: Linkerd deprecated SMI
 * and linkerd-smi, and Flagger plans to drop its Linkerd + SMI router (fluxcd/flagger#1840).
 */
export const LINKERD_DEPRECATION =
  'provider linkerd (SMI TrafficSplit, linkerd-smi) is deprecated: Linkerd deprecated SMI and Flagger plans to drop it (fluxcd/flagger#1840). Move to provider gatewayapi (HTTPRoute, Linkerd >= 2.14).';

/** Everything a user may set. `resolveCanaryOptions` takes any subset of it. */
export interface CanaryOptionsInput {
  /** Namespace of the function, its Canary and MetricTemplates. */
  namespace: string;
  /**
   * `gatewayapi`: HTTPRoute `gateway.networking.k8s.io/v1` (Linkerd ≥ 2.14), the default;
   * `linkerd`: SMI TrafficSplit (linkerd-smi), deprecated (LINKERD_DEPRECATION).
   */
  provider: CanaryProvider;
  /** `canary`: weighted steps; `blue-green`: a number of analysis runs, then a full switch. */
  strategy: CanaryStrategy;
  /** Canary only: percent of traffic added to green at each step. */
  stepWeight: number;
  /** Canary only: green's weight at which analysis ends and promotion starts. */
  maxWeight: number;
  /** Canary only: explicit ascending steps instead of stepWeight/maxWeight. */
  stepWeights: number[];
  /** Blue-green only: analysis runs before promotion. */
  iterations: number;
  /** Time between steps, a Go duration in minutes/seconds: `30s`, `1m`, `1m30s`. */
  interval: string;
  /** Failed checks before rollback. */
  threshold: number;
  /** Lowest acceptable success rate in percent (Linkerd `response_total`). */
  minSuccessRate: number;
  /** Highest acceptable p99 latency in milliseconds (Linkerd `response_latency_ms_bucket`). */
  maxLatencyMs: number;
  /**
   * Testers first (Flagger's A/B testing, gatewayapi only): requests carrying this header,
   * `Name=value` (exact) or `Name=~pattern` (RE2), reach the new version; nobody else does.
   */
  testersHeader: string;
  /** Testers first, by a cookie: `name=value` (exact) in the request's Cookie header. */
  testersCookie: string;
  /** Testers first: analysis runs on the testers' traffic before promotion. */
  testersIterations: number;
  /**
   * Sticky conversations (Flagger's sessionAffinity, gatewayapi canary only): the cookie
   * that keeps a client on the version that first answered it during a canary.
   */
  stickyCookie: string;
  /** Seconds the sticky cookie lives (Flagger's default: 86400, a day). */
  stickyMaxAge: number;
  /** Hold promotion until a person approves it (adds the gate webhooks). */
  approval: boolean;
  /** Base URL of greenlight-gate, reachable from Flagger. Only with `approval`. */
  gateUrl: string;
  /** Base URL of greenlight-probe, reachable from Flagger. Used for functions with probes. */
  probeUrl: string;
  /** How many times each `rollout` probe call runs every conversation (per analysis iteration). */
  probeRounds: number;
  /** Port of the function's Service and container (OpenFaaS watchdog: 8080). */
  port: number;
  /** Prometheus with Linkerd's metrics. With `linkerd` it overrides Flagger's -metrics-server. */
  prometheusAddress: string;
  /**
   * The Backstage catalog entity the Canary belongs to, `<kind>:<namespace>/<name>`,
   * recorded as `greenlight.dev/owner`: only that entity's permissions approve it there.
   */
  owner: string;
  /**
   * Where Flagger posts its alerts, `<type>:<secret>[#<channel>][@<severity>]` separated by
   * commas; each Secret's `address` key holds the webhook URL (docs/alerts.md).
   */
  alerts: string;
  /** The cluster's name, the alerts' sender where the provider shows one. Only with `alerts`. */
  clusterName: string;
}

export const DEFAULT_GATE_URL = 'http://greenlight-gate.greenlight.svc.cluster.local:8080';
export const DEFAULT_PROBE_URL = 'http://greenlight-probe.greenlight.svc.cluster.local:8080';
/** Linkerd-viz's Prometheus, the address Flagger's Linkerd docs use. */
export const DEFAULT_PROMETHEUS_ADDRESS = 'http://prometheus.linkerd-viz:9090';

export const CANARY_DEFAULTS = {
  namespace: 'openfaas-fn',
  provider: 'gatewayapi',
  strategy: 'canary',
  stepWeight: 10,
  maxWeight: 50,
  iterations: 10,
  testersIterations: 10,
  interval: '30s',
  threshold: 5,
  minSuccessRate: 99,
  maxLatencyMs: 500,
  approval: false,
  gateUrl: DEFAULT_GATE_URL,
  probeUrl: DEFAULT_PROBE_URL,
  probeRounds: 5,
  port: 8080,
} as const;

interface CommonOptions {
  namespace: string;
  provider: CanaryProvider;
  interval: string;
  threshold: number;
  minSuccessRate: number;
  maxLatencyMs: number;
  approval: boolean;
  /** Always set; used only when `approval` is true. */
  gateUrl: string;
  /** Always set; used only for functions that have a probe. */
  probeUrl: string;
  probeRounds: number;
  port: number;
  /**
   * Set for `gatewayapi` (the MetricTemplates need it); for `linkerd` only when the user
   * gave one, else Flagger's own -metrics-server answers its builtin metrics.
   */
  prometheusAddress?: string;
  /** The owning Backstage entity ref, when given. */
  owner?: string;
  /** Flagger's alert destinations, when given. */
  alerts?: AlertDestination[];
  clusterName?: string;
}

/** A request mark Flagger matches on (its HTTPMatchRequest headers): exact value or RE2 pattern. */
export type TesterMark =
  | { header: string; exact: string; regex?: undefined }
  | { header: string; regex: string; exact?: undefined };

/** Flagger's `analysis.sessionAffinity`: the cookie that keeps a client on one side. */
export interface StickySession {
  cookieName: string;
  /** Seconds; absent: Flagger's 86400. */
  maxAge?: number;
}

/** Canary in steps of `stepWeight` up to `maxWeight` (Flagger `analysis.stepWeight`). */
export interface SteppedCanaryOptions extends CommonOptions {
  strategy: 'canary';
  stepWeight: number;
  maxWeight: number;
  stepWeights?: undefined;
  iterations?: undefined;
  sticky?: StickySession;
}

/** Canary through explicit steps (Flagger `analysis.stepWeights`). */
export interface ListedCanaryOptions extends CommonOptions {
  strategy: 'canary';
  stepWeights: number[];
  stepWeight?: undefined;
  maxWeight?: undefined;
  iterations?: undefined;
  sticky?: StickySession;
}

/** Blue/green: `iterations` analysis runs, then promotion (Flagger `analysis.iterations`). */
export interface BlueGreenOptions extends CommonOptions {
  strategy: 'blue-green';
  iterations: number;
  stepWeight?: undefined;
  maxWeight?: undefined;
  stepWeights?: undefined;
}

/**
 * Testers first: only requests with a mark reach green, for `iterations` analysis runs, then
 * promotion (Flagger's A/B testing, `analysis.match` + `analysis.iterations`). Flagger runs
 * it as a strategy of its own: it does not go on to weighted steps or blue/green.
 */
export interface TestersOptions extends CommonOptions {
  strategy: 'ab-testing';
  iterations: number;
  /** Any one of them marks a tester (Flagger ORs its match list). */
  testers: TesterMark[];
  stepWeight?: undefined;
  maxWeight?: undefined;
  stepWeights?: undefined;
}

/** Validated options with defaults filled in; the strategy fields never contradict. */
export type CanaryOptions =
  SteppedCanaryOptions | ListedCanaryOptions | BlueGreenOptions | TestersOptions;
