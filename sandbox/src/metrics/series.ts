import { formatLe, LATENCY_BUCKETS_MS } from './buckets.ts';
import { CLASSIFICATIONS, STATUS_CODES } from './counters.ts';
import type { Snapshot } from './counters.ts';

// The series a Linkerd proxy exposes for a Deployment's inbound traffic, as they read in
// Prometheus: metric names and labels of docs/design.md, "Flagger facts" (`namespace`, `deployment`,
// `direction="inbound"`, `classification`) beside the proxy's own `tls` and `status_code`.
// In a cluster `namespace` and `deployment` come from Prometheus' pod relabelling; the
// sandbox writes them itself so a plain scrape gives the same series. The `/metrics`
// text and the query API both read these, so they cannot disagree.

export interface SeriesRef {
  namespace: string;
  deployment: string;
}

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The samples of one Deployment's counters; a series appears with its first response. */
export function proxySeries(ref: SeriesRef, snapshot: Snapshot): Sample[] {
  const base = {
    namespace: ref.namespace,
    deployment: ref.deployment,
    direction: 'inbound',
    tls: 'true',
  };
  const samples: Sample[] = [];
  const requests = snapshot.success.responses + snapshot.failure.responses;
  if (requests > 0) samples.push({ name: 'request_total', labels: base, value: requests });
  for (const classification of CLASSIFICATIONS) {
    const counters = snapshot[classification];
    if (counters.responses === 0) continue;
    const labels = { ...base, status_code: STATUS_CODES[classification] };
    samples.push({
      name: 'response_total',
      labels: { ...labels, classification },
      value: counters.responses,
    });
    LATENCY_BUCKETS_MS.forEach((bound, i) => {
      samples.push({
        name: 'response_latency_ms_bucket',
        labels: { ...labels, le: formatLe(bound) },
        value: counters.buckets[i] ?? 0,
      });
    });
    samples.push({ name: 'response_latency_ms_sum', labels, value: counters.sumMs });
    samples.push({ name: 'response_latency_ms_count', labels, value: counters.responses });
  }
  return samples;
}

/** Identifies a series across time: its name and label set. */
export function seriesKey({ name, labels }: Pick<Sample, 'name' | 'labels'>): string {
  return `${name}${JSON.stringify(labels)}`;
}
