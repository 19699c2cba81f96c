// What the Linkerd proxy in front of each pod counts of the responses it saw, in its own
// /metrics format: `request_total`, `response_total` and the `response_latency_ms`
// histogram with the proxy's buckets, labelled `direction="inbound"`, `namespace`,
// `deployment` (in a cluster Prometheus' pod relabelling adds those two), `tls`,
// `status_code` and `classification` — `failure` for a 5xx, as Linkerd classifies by
// default. These are the labels Flagger's linkerd observer and Greenlight's MetricTemplates
// select (packages/core/src/canary/linkerd-queries.ts). Every count is a response a real
// chatbot process gave.
import { LATENCY_BOUNDS_MS } from './buckets.ts';
import { renderExposition, type Sample } from './exposition.ts';

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
  #responses = 0;

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
    this.#responses++;
    series.responses++;
    series.sumMs += latencyMs;
    const bucket = LATENCY_BOUNDS_MS.findIndex((bound) => latencyMs <= bound);
    series.buckets[bucket === -1 ? LATENCY_BOUNDS_MS.length : bucket]!++;
  }

  /** Responses counted so far, all Deployments together: moves whenever a sample does. */
  get total(): number {
    return this.#responses;
  }

  /** Responses counted for `deployment` so far, by status code. */
  responses(namespace: string, deployment: string): Record<number, number> {
    const counts: Record<number, number> = {};
    for (const s of this.#series.values())
      if (s.namespace === namespace && s.deployment === deployment)
        counts[s.statusCode] = s.responses;
    return counts;
  }

  /** Every sample, families laid out as the proxy does. */
  samples(): Sample[] {
    const all = [...this.#series.values()].sort((a, b) =>
      `${a.namespace}/${a.deployment}/${a.statusCode}`.localeCompare(
        `${b.namespace}/${b.deployment}/${b.statusCode}`,
      ),
    );
    const base = (s: Series) => ({
      direction: 'inbound',
      namespace: s.namespace,
      deployment: s.deployment,
      tls: 'true',
    });
    const requests = new Map<string, Sample>();
    for (const s of all) {
      const key = `${s.namespace}/${s.deployment}`;
      const entry = requests.get(key) ?? { name: 'request_total', labels: base(s), value: 0 };
      entry.value += s.responses;
      requests.set(key, entry);
    }
    const samples = [...requests.values()];
    for (const s of all) {
      samples.push({
        name: 'response_total',
        labels: {
          ...base(s),
          status_code: String(s.statusCode),
          classification: classification(s.statusCode),
        },
        value: s.responses,
      });
    }
    for (const s of all) {
      const labels = { ...base(s), status_code: String(s.statusCode) };
      let cumulative = 0;
      s.buckets.forEach((count, i) => {
        cumulative += count;
        const le = i < LATENCY_BOUNDS_MS.length ? String(LATENCY_BOUNDS_MS[i]) : '+Inf';
        samples.push({
          name: 'response_latency_ms_bucket',
          labels: { ...labels, le },
          value: cumulative,
        });
      });
      samples.push({ name: 'response_latency_ms_sum', labels, value: s.sumMs });
      samples.push({ name: 'response_latency_ms_count', labels, value: s.responses });
    }
    return samples;
  }

  /** The page in Prometheus' text format 0.0.4. */
  exposition(): string {
    return renderExposition(this.samples());
  }
}

/** Linkerd's default response classifier: a 5xx is a failure. */
export function classification(statusCode: number): 'success' | 'failure' {
  return statusCode >= 500 ? 'failure' : 'success';
}
