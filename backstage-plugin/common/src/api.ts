// The HTTP API between the Greenlight backend (`/api/greenlight`) and its frontend.
import type { GoldenMetrics, GoldenSeries, RolloutView } from '@greenlight/core';
import type { ProbeRunEntry } from './probe-events.ts';

// The domain types come from @greenlight/core (type-only: nothing of core reaches a
// browser bundle), so the frontend shows exactly what the CLI and the action print.
export type {
  GoldenMetrics,
  GoldenSeries,
  GoldenSignals,
  MarkView,
  Point,
  RolloutView,
  SignalSeries,
  StepProgress,
  Strategy,
  Verdict,
  Weights,
} from '@greenlight/core';

/** Where the backend's copy of the cluster stands. */
export interface Freshness {
  /** The configured cluster (`greenlight.clusters[].name`). */
  cluster: string;
  /** False while the watch is reconnecting: the data is the last known state. */
  synced: boolean;
  /** Why the watch is not synced, when it is not. */
  problem?: string;
}

/** Why metrics are missing: Prometheus unreachable, refused the query, ... */
export interface MetricsProblem {
  message: string;
}

/**
 * Which catalog entity a Canary belongs to. Only the owner's permissions approve or roll it
 * back; a Canary without one is shown (to those who may read a claimant) but never marked.
 */
export interface Ownership {
  /** The entity the Canary's `greenlight.dev/owner` annotation names; null when it names none. */
  owner: string | null;
  /** The entities whose `greenlight.dev/canary` annotation names this Canary, in catalog order. */
  claimants: string[];
}

export interface FleetItem {
  cluster: string;
  rollout: RolloutView;
  /** The entity read permission was checked on: the owner, or for an unowned Canary a claimant. */
  entityRef: string;
  ownership: Ownership;
  /** Null when metrics are unavailable (see `FleetResponse.metricsProblem`). */
  metrics: GoldenMetrics | null;
}

/** `GET /rollouts`: every Canary the user may read. */
export interface FleetResponse {
  items: FleetItem[];
  /** Canaries with no entity to check permissions on: none claims them, or their owner does not. */
  unlisted: number;
  clusters: Freshness[];
  metricsProblem?: MetricsProblem;
  /** `prometheus`, or `sandbox` for the sandbox's synthetic metrics. */
  metricsSource: MetricsSourceName;
}

/** One Kubernetes Event about the Canary, as history. */
export interface HistoryEntry {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  /** RFC 3339: the last time it happened. */
  at?: string;
  /** How many times it happened (Kubernetes aggregates repeats). */
  count: number;
  /** `flagger`, `greenlight`, ... */
  source?: string;
}

/** `GET /rollouts/:namespace/:name` */
export interface RolloutResponse {
  rollout: RolloutView;
  ownership: Ownership;
  /** Newest first. */
  history: HistoryEntry[];
  /** Per revision its last probe run, read from the prober's Events in `history`; newest first. */
  probes: ProbeRunEntry[];
  freshness: Freshness;
}

/** A threshold of the Canary's analysis, in the units of the golden signal it checks. */
export interface Threshold {
  /** The analysis metric's name, e.g. `request-success-rate`. */
  metric: string;
  /** The golden signal it corresponds to, when Greenlight knows it. */
  signal?: 'successRate' | 'p99Ms';
  min?: number;
  max?: number;
  /** The metric's interval, e.g. `1m`. */
  interval?: string;
}

export type MetricsSourceName = 'prometheus' | 'sandbox';

/** `GET /rollouts/:namespace/:name/metrics?window=` */
export interface MetricsResponse {
  current: GoldenMetrics;
  series: GoldenSeries;
  thresholds: Threshold[];
  source: MetricsSourceName;
}

/** The body of `POST .../approve` and `.../abort`. */
export interface MarkRequest {
  /** The revision the user saw; refused (409) if another one is under analysis now. */
  revision: string;
  /**
   * The entity the user acts from; it must be the Canary's owner (`greenlight.dev/owner`).
   * Default: the entities that annotate the Canary, of which the owner decides.
   */
  entityRef?: string;
}

/** The answer to `POST .../approve` and `.../abort`. */
export interface MarkResponse {
  revision: string;
  /** The signed-in user's entity ref: the approval or abort records it (`backstage:<ref>` as its note). */
  by: string;
  rollout: RolloutView;
}

/** Error names the frontend can tell apart (the body is Backstage's ErrorResponseBody). */
export const ERROR_NAMES = {
  kubernetesUnavailable: 'KubernetesUnavailableError',
  metricsUnavailable: 'MetricsUnavailableError',
} as const;
