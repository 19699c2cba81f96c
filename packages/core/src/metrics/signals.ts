import { deploymentsOf, QUANTILE_LABEL, QUANTILES } from './queries.ts';
import type { LabelledSeries, LabelledValue } from './response.ts';
import type { GoldenMetrics, GoldenSignals, MetricsRef, Point, SignalSeries } from './source.ts';

// Turns the grouped query results into golden signals per Deployment, then per chatbot
// (blue beside green). Pure, so the splitting of a fleet query is tested without a server.

type Quantile = keyof typeof QUANTILES;
const QUANTILE_FIELDS = Object.keys(QUANTILES) as Quantile[];

/** Instant-query results, one list per golden query. */
export type GoldenResults = { responses: LabelledValue[] } & Record<Quantile, LabelledValue[]>;

/** Range-query results, one list per golden query. */
export type GoldenSeriesResults = { responses: LabelledSeries[] } & Record<
  Quantile,
  LabelledSeries[]
>;

export const NO_SIGNALS: GoldenSignals = {
  successRate: null,
  rps: null,
  p50Ms: null,
  p95Ms: null,
  p99Ms: null,
};

export function goldenMetrics(
  ref: MetricsRef,
  results: GoldenResults,
  window: string,
  at: string,
): GoldenMetrics {
  const { blue, green } = deploymentsOf(ref);
  return {
    blue: signalsOf(results, ref.namespace, blue),
    green: signalsOf(results, ref.namespace, green),
    window,
    at,
  };
}

export function seriesOf(
  ref: MetricsRef,
  results: GoldenSeriesResults,
): { blue: SignalSeries; green: SignalSeries } {
  const { blue, green } = deploymentsOf(ref);
  return {
    blue: signalSeriesOf(results, ref.namespace, blue),
    green: signalSeriesOf(results, ref.namespace, green),
  };
}

type Labelled = { labels: Record<string, string> };

/** The latency query's answer split by its `quantile` label, one list per GoldenSignals field. */
export function byQuantile<T extends Labelled>(latency: T[]): Record<Quantile, T[]> {
  const split = Object.fromEntries(QUANTILE_FIELDS.map((field) => [field, [] as T[]]));
  const fieldOf = new Map(QUANTILE_FIELDS.map((field) => [String(QUANTILES[field]), field]));
  for (const item of latency) {
    const field = fieldOf.get(item.labels[QUANTILE_LABEL] ?? '');
    if (field) split[field]?.push(item);
  }
  return split as Record<Quantile, T[]>;
}

// A fleet answer holds every chatbot's series; splitting it by filtering once per chatbot
// would cost chatbots × series. Each result list is indexed by Deployment once instead,
// remembered for as long as the list itself lives.
const indexes = new WeakMap<Labelled[], Map<string, Labelled[]>>();

function ofDeployment<T extends Labelled>(list: T[], namespace: string, deployment: string): T[] {
  let index = indexes.get(list);
  if (!index) {
    index = new Map();
    for (const item of list) {
      const key = `${item.labels.namespace}/${item.labels.deployment}`;
      const group = index.get(key);
      if (group) group.push(item);
      else index.set(key, [item]);
    }
    indexes.set(list, index);
  }
  return (index.get(`${namespace}/${deployment}`) ?? []) as T[];
}

function signalsOf(results: GoldenResults, namespace: string, deployment: string): GoldenSignals {
  const mine = <T extends Labelled>(list: T[]) => ofDeployment(list, namespace, deployment);
  const signals: GoldenSignals = { ...NO_SIGNALS, ...rates(mine(results.responses)) };
  for (const field of QUANTILE_FIELDS) signals[field] = mine(results[field])[0]?.value ?? null;
  return signals;
}

function signalSeriesOf(
  results: GoldenSeriesResults,
  namespace: string,
  deployment: string,
): SignalSeries {
  const mine = (list: LabelledSeries[]) => ofDeployment(list, namespace, deployment);
  // Align the success and failure series on their timestamps, then compute per step.
  const byTime = new Map<number, LabelledValue[]>();
  for (const series of mine(results.responses)) {
    for (const { t, v } of series.points) {
      byTime.set(t, [...(byTime.get(t) ?? []), { labels: series.labels, value: v }]);
    }
  }
  const times = [...byTime.keys()].sort((a, b) => a - b);
  const perStep = times.map((t) => ({ t, ...rates(byTime.get(t) ?? []) }));
  const quantile = (field: Quantile): Point[] => mine(results[field])[0]?.points ?? [];
  return {
    successRate: perStep.map(({ t, successRate }) => ({ t, v: successRate })),
    rps: perStep.map(({ t, rps }) => ({ t, v: rps })),
    p50Ms: quantile('p50Ms'),
    p95Ms: quantile('p95Ms'),
    p99Ms: quantile('p99Ms'),
  };
}

/**
 * Success rate and RPS from per-classification response rates. Computed here rather than
 * as a PromQL ratio: a ratio has no result when a Deployment has no successes at all,
 * which would show "no data" for what is a 0 % success rate.
 */
function rates(values: LabelledValue[]): Pick<GoldenSignals, 'successRate' | 'rps'> {
  let success = 0;
  let total = 0;
  let seen = false;
  for (const { labels, value } of values) {
    if (value === null) continue;
    seen = true;
    total += value;
    if (labels.classification === 'success') success += value;
  }
  if (!seen) return { successRate: null, rps: null };
  return { successRate: total > 0 ? (success / total) * 100 : null, rps: total };
}
