// The seam between golden metrics and where they come from: Prometheus scraping Linkerd
// (`prometheus.ts`) or the sandbox's exporter (added later). Adding a source is adding a file.

/** A chatbot: the Canary's namespace and name (= its target Deployment's name). */
export interface MetricsRef {
  namespace: string;
  name: string;
}

/** Linkerd's golden signals for one Deployment over a window; null when there is no data. */
export interface GoldenSignals {
  /** Percent of inbound responses classified `success`. */
  successRate: number | null;
  /** Inbound responses per second. */
  rps: number | null;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
}

/** Blue (`<name>-primary`) beside green (`<name>`, the candidate). */
export interface GoldenMetrics {
  blue: GoldenSignals;
  green: GoldenSignals;
  /** The Prometheus duration the rates are taken over, e.g. `5m`. */
  window: string;
  /** When the metrics were evaluated, RFC 3339. */
  at: string;
}

/** One sample of a series: Unix seconds and the value (null: no data or not a number). */
export interface Point {
  t: number;
  v: number | null;
}

export type SignalSeries = { [K in keyof GoldenSignals]: Point[] };

export interface GoldenSeries {
  blue: SignalSeries;
  green: SignalSeries;
  /** How far back the series reaches, e.g. `1h`. */
  window: string;
  stepSeconds: number;
  /** RFC 3339 bounds of the range. */
  from: string;
  to: string;
}

export interface MetricsSource {
  /** Golden signals of one chatbot, blue beside green. */
  golden(ref: MetricsRef, window: string): Promise<GoldenMetrics>;
  /**
   * Golden signals of many chatbots in a constant number of queries, keyed
   * `<namespace>/<name>`; every ref has an entry (all-null signals when there is no data).
   */
  fleet(refs: MetricsRef[], window: string): Promise<Map<string, GoldenMetrics>>;
  /** The golden signals of one chatbot over the last `window`, one point per `stepSeconds`. */
  series(ref: MetricsRef, window: string, stepSeconds: number): Promise<GoldenSeries>;
}

/** The key of a ref in `fleet`'s answer. */
export function refKey(ref: MetricsRef): string {
  return `${ref.namespace}/${ref.name}`;
}
