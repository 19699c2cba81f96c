// What the Linkerd proxy in front of each pod counts of the responses it saw, in its own
// /metrics format: `request_total`, `response_total` and the `response_latency_ms`
// histogram with the proxy's buckets, labelled `direction="inbound"`, `namespace`,
// `deployment` (in a cluster Prometheus' pod relabelling adds those two), `tls`,
// `status_code` and `classification` — `failure` for a 5xx, as Linkerd classifies by
// default. These are the labels Flagger's linkerd observer and Greenlight's MetricTemplates
// select (packages/core/src/canary/linkerd-queries.ts). Every count is a response a real
// chatbot process gave.
import { EXPOSITION_CONTENT_TYPE, LATENCY_BOUNDS_MS } from '@greenlight/sandbox';

export { EXPOSITION_CONTENT_TYPE };

interface Series {
  namespace: string;
  deployment: string;
  statusCode: number;
  responses: number;
  /** Non-cumulative counts per LATENCY_BOUNDS_MS bound, then one for +Inf. */
  buckets: number[];
  sumMs: number;
}

export class ProxyMetrics {
  readonly #series = new Map<string, Series>();

  /** One response of `deployment`'s code, `latencyMs` from request to the response's end. */
  record(namespace: string, deployment: string, statusCode: number, latencyMs: number): void {
    const key = `${namespace}/${deployment}/${statusCode}`;
    let series = this.#series.get(key);
    if (!series) {
      series = {
        namespace,
        deployment,
        statusCode,
        responses: 0,
        buckets: [...LATENCY_BOUNDS_MS, Infinity].map(() => 0),
        sumMs: 0,
      };
      this.#series.set(key, series);
    }
    series.responses++;
    series.sumMs += latencyMs;
    const bucket = LATENCY_BOUNDS_MS.findIndex((bound) => latencyMs <= bound);
    series.buckets[bucket === -1 ? LATENCY_BOUNDS_MS.length : bucket]!++;
  }

  /** Responses counted for `deployment` so far, by status code. */
  responses(namespace: string, deployment: string): Record<number, number> {
    const counts: Record<number, number> = {};
    for (const s of this.#series.values())
      if (s.namespace === namespace && s.deployment === deployment)
        counts[s.statusCode] = s.responses;
    return counts;
  }

  /** The page in Prometheus' text format 0.0.4, families laid out as the proxy does. */
  exposition(): string {
    const all = [...this.#series.values()].sort((a, b) =>
      `${a.namespace}/${a.deployment}/${a.statusCode}`.localeCompare(
        `${b.namespace}/${b.deployment}/${b.statusCode}`,
      ),
    );
    if (all.length === 0) return '';
    const base = (s: Series) =>
      `direction="inbound",namespace="${s.namespace}",deployment="${s.deployment}",tls="true"`;
    const requests = new Map<string, { labels: string; value: number }>();
    for (const s of all) {
      const entry = requests.get(base(s)) ?? { labels: base(s), value: 0 };
      entry.value += s.responses;
      requests.set(base(s), entry);
    }
    const lines = [
      '# HELP request_total Total count of HTTP requests.',
      '# TYPE request_total counter',
      ...[...requests.values()].map((r) => `request_total{${r.labels}} ${r.value}`),
      '# HELP response_total Total count of HTTP responses.',
      '# TYPE response_total counter',
      ...all.map(
        (s) =>
          `response_total{${base(s)},status_code="${s.statusCode}",classification="${classification(s.statusCode)}"} ${s.responses}`,
      ),
      "# HELP response_latency_ms Elapsed times between a request's headers being received and its response stream completing",
      '# TYPE response_latency_ms histogram',
    ];
    for (const s of all) {
      const labels = `${base(s)},status_code="${s.statusCode}"`;
      let cumulative = 0;
      s.buckets.forEach((count, i) => {
        cumulative += count;
        const le = i < LATENCY_BOUNDS_MS.length ? String(LATENCY_BOUNDS_MS[i]) : '+Inf';
        lines.push(`response_latency_ms_bucket{${labels},le="${le}"} ${cumulative}`);
      });
      lines.push(`response_latency_ms_sum{${labels}} ${s.sumMs}`);
      lines.push(`response_latency_ms_count{${labels}} ${s.responses}`);
    }
    return `${lines.join('\n')}\n`;
  }
}

/** Linkerd's default response classifier: a 5xx is a failure. */
export function classification(statusCode: number): 'success' | 'failure' {
  return statusCode >= 500 ? 'failure' : 'success';
}
