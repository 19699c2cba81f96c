// Prometheus' histogram_quantile over cumulative buckets (promql/quantile.go): find the
// bucket holding the q-th observation and interpolate linearly inside it. Flagger's p99
// and the portal's quantiles come out of this, so the sandbox computes it the same way.

export interface Bucket {
  /** Upper bound; Infinity for +Inf. */
  le: number;
  /** Cumulative count (here: a rate). */
  count: number;
}

export function histogramQuantile(q: number, unsorted: Bucket[]): number {
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  const buckets = [...unsorted].sort((a, b) => a.le - b.le);
  const last = buckets[buckets.length - 1];
  if (buckets.length < 2 || last?.le !== Infinity) return NaN;
  const observations = last.count;
  if (!(observations > 0)) return NaN;
  const rank = q * observations;
  let b = buckets.findIndex((bucket) => bucket.count >= rank);
  if (b === buckets.length - 1) return buckets[b - 1]?.le ?? NaN;
  if (b === 0 && (buckets[0]?.le ?? 0) <= 0) return buckets[0]?.le ?? NaN;
  if (b < 0) b = buckets.length - 1;
  const upper = buckets[b] as Bucket;
  const lower = b > 0 ? (buckets[b - 1] as Bucket) : { le: 0, count: 0 };
  const inBucket = upper.count - lower.count;
  if (inBucket <= 0) return upper.le;
  return lower.le + (upper.le - lower.le) * ((rank - lower.count) / inBucket);
}
