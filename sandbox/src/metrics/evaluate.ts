import { seriesKey, type Sample } from '../mesh/index.ts';
import type { Query, SumOfRates } from './promql.ts';
import { matches } from './promql.ts';
import { histogramQuantile } from './quantile.ts';

// Evaluates a recognised query (promql.ts) at one instant over the proxy counters, with
// Prometheus' semantics for the parts used: sum over no series is no result, a division
// keeps only label sets present on both sides, 0/0 is NaN, empty labels are dropped.

/** Where the counters come from: the mesh's proxy counts as scraped (scrapes.ts). */
export interface CounterSource {
  /** The samples in force at `atMs`; undefined before the first scrape. */
  samplesAt(atMs: number): Sample[] | undefined;
}

/** One element of an instant vector. */
export interface VectorSample {
  labels: Record<string, string>;
  value: number;
}

export function evaluate(query: Query, source: CounterSource, atMs: number): VectorSample[] {
  switch (query.kind) {
    case 'vector':
      return [{ labels: {}, value: query.value }];
    case 'sum':
      return sumOfRates(query.term, source, atMs);
    case 'ratio': {
      const denominators = new Map(
        sumOfRates(query.denominator, source, atMs).map((s) => [JSON.stringify(s.labels), s]),
      );
      return sumOfRates(query.numerator, source, atMs).flatMap((numerator) => {
        const denominator = denominators.get(JSON.stringify(numerator.labels));
        if (!denominator) return [];
        return [
          { labels: numerator.labels, value: (numerator.value / denominator.value) * query.factor },
        ];
      });
    }
    case 'union': {
      // Prometheus' `or`: a right-hand element whose labels are already on the left is dropped.
      const seen = new Set<string>();
      return query.parts.flatMap(({ label, value, query: part }) =>
        evaluate(part, source, atMs).flatMap((sample) => {
          const labels = { ...sample.labels, [label]: value };
          const key = JSON.stringify(Object.entries(labels).sort());
          if (seen.has(key)) return [];
          seen.add(key);
          return [{ labels, value: sample.value }];
        }),
      );
    }
    case 'quantile': {
      const groups = new Map<
        string,
        { labels: Record<string, string>; buckets: { le: number; count: number }[] }
      >();
      for (const { labels, value } of sumOfRates(query.term, source, atMs)) {
        const { le = '', ...rest } = labels;
        const key = JSON.stringify(rest);
        const group = groups.get(key) ?? { labels: rest, buckets: [] };
        group.buckets.push({ le: le === '+Inf' ? Infinity : Number(le), count: value });
        groups.set(key, group);
      }
      return [...groups.values()].map(({ labels, buckets }) => ({
        labels,
        value: histogramQuantile(query.quantile, buckets),
      }));
    }
  }
}

function sumOfRates(term: SumOfRates, source: CounterSource, atMs: number): VectorSample[] {
  const groups = new Map<string, VectorSample>();
  const sinceMs = atMs - term.windowSeconds * 1000;
  const before = new Map((source.samplesAt(sinceMs) ?? []).map((s) => [seriesKey(s), s.value]));
  for (const sample of source.samplesAt(atMs) ?? []) {
    if (sample.name !== term.metric) continue;
    if (!term.matchers.every((m) => matches(m, sample.labels[m.label] ?? ''))) continue;
    const rate = (sample.value - (before.get(seriesKey(sample)) ?? 0)) / term.windowSeconds;
    const labels = Object.fromEntries(
      [...term.by]
        .sort()
        .flatMap((label) => (sample.labels[label] ? [[label, sample.labels[label]]] : [])),
    );
    const key = JSON.stringify(labels);
    const group = groups.get(key);
    if (group) group.value += rate;
    else groups.set(key, { labels, value: rate });
  }
  return [...groups.values()];
}
