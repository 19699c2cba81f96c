import { UserError } from '../errors.ts';
import { checkWindow, durationSeconds, goldenQueries, rangeRateWindow } from './queries.ts';
import type { GoldenQueries } from './queries.ts';
import { matrixSeries, prometheusResponseSchema, vectorValues } from './response.ts';
import type { LabelledSeries, LabelledValue, PrometheusData } from './response.ts';
import { byQuantile, goldenMetrics, seriesOf } from './signals.ts';
import type { GoldenSeriesResults } from './signals.ts';
import type { GoldenMetrics, GoldenSeries, MetricsRef, MetricsSource } from './source.ts';
import { refKey } from './source.ts';
import { MetricsUnavailableError } from './unavailable.ts';

export interface PrometheusOptions {
  /** Base URL of the Prometheus HTTP API, e.g. `http://prometheus.linkerd-viz:9090`. */
  url: string;
  /** Per request; default 10 s. */
  timeoutMs?: number;
  /** Extra headers, e.g. `Authorization` for a Prometheus behind a proxy. */
  headers?: Record<string, string>;
  /** The clock; tests pin it. */
  now?: () => Date;
}

// Prometheus refuses range queries of more than 11,000 points per series.
const MAX_POINTS = 11_000;

/** Golden metrics from Linkerd's proxy metrics in Prometheus, over its HTTP API. */
export class PrometheusMetrics implements MetricsSource {
  readonly #base: URL;
  readonly #display: string;
  readonly #headers: Record<string, string>;
  readonly #timeoutMs: number;
  readonly #now: () => Date;

  constructor(options: PrometheusOptions) {
    let base: URL;
    try {
      base = new URL(options.url);
    } catch {
      throw new UserError(`"${options.url}" is not a URL`, {
        field: 'prometheus url',
        hint: 'Give the Prometheus base URL, e.g. http://prometheus.linkerd-viz:9090',
      });
    }
    this.#headers = { ...options.headers };
    // fetch refuses URLs with credentials; send them as Basic auth, and never print them.
    if (base.username || base.password) {
      const credentials = `${decodeURIComponent(base.username)}:${decodeURIComponent(base.password)}`;
      this.#headers.authorization ??= `Basic ${Buffer.from(credentials).toString('base64')}`;
      base.username = '';
      base.password = '';
    }
    if (!base.pathname.endsWith('/')) base.pathname += '/';
    this.#base = base;
    this.#display = `${base.origin}${base.pathname.replace(/\/$/, '')}`;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#now = options.now ?? (() => new Date());
  }

  async golden(ref: MetricsRef, window: string): Promise<GoldenMetrics> {
    const fleet = await this.fleet([ref], window);
    return fleet.get(refKey(ref)) as GoldenMetrics;
  }

  async fleet(refs: MetricsRef[], window: string): Promise<Map<string, GoldenMetrics>> {
    if (refs.length === 0) return new Map();
    const queries = goldenQueries(refs, window);
    const now = this.#now();
    const time = String(now.getTime() / 1000);
    const results = await runAll(queries, (query) => this.#instant(query, time));
    const at = now.toISOString();
    return new Map(refs.map((ref) => [refKey(ref), goldenMetrics(ref, results, window, at)]));
  }

  async series(ref: MetricsRef, window: string, stepSeconds: number): Promise<GoldenSeries> {
    const span = durationSeconds(checkWindow(window));
    if (!Number.isFinite(stepSeconds) || stepSeconds <= 0 || span / stepSeconds > MAX_POINTS) {
      throw new UserError(`a step of ${stepSeconds} s does not fit a window of ${window}`, {
        field: 'stepSeconds',
        hint: `Use a positive step with at most ${MAX_POINTS} points per window`,
      });
    }
    const end = this.#now();
    const start = new Date(end.getTime() - span * 1000);
    const range = {
      start: String(start.getTime() / 1000),
      end: String(end.getTime() / 1000),
      step: String(stepSeconds),
    };
    const queries = goldenQueries([ref], rangeRateWindow(stepSeconds));
    const results: GoldenSeriesResults = await runAll(queries, (query) =>
      this.#range(query, range),
    );
    return {
      ...seriesOf(ref, results),
      window,
      stepSeconds,
      from: start.toISOString(),
      to: end.toISOString(),
    };
  }

  async #instant(query: string, time: string): Promise<LabelledValue[]> {
    const data = await this.#request('api/v1/query', { query, time });
    if (data.resultType !== 'vector')
      throw this.#unavailable(`answered a ${data.resultType} where a vector was expected`);
    return vectorValues(data);
  }

  async #range(
    query: string,
    range: Record<'start' | 'end' | 'step', string>,
  ): Promise<LabelledSeries[]> {
    const data = await this.#request('api/v1/query_range', { query, ...range });
    if (data.resultType !== 'matrix')
      throw this.#unavailable(`answered a ${data.resultType} where a matrix was expected`);
    return matrixSeries(data);
  }

  // POST with a form body (the HTTP API accepts both): a fleet query can outgrow a URL.
  async #request(path: string, params: Record<string, string>): Promise<PrometheusData> {
    let response: Response;
    let text: string;
    try {
      response = await fetch(new URL(path, this.#base), {
        method: 'POST',
        headers: { ...this.#headers, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(params),
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      const why =
        // By name: fetch's DOMException may come from another realm than this Error.
        (error as { name?: unknown } | undefined)?.name === 'TimeoutError'
          ? `did not answer within ${this.#timeoutMs} ms`
          : `could not be reached (${describe(error)})`;
      throw this.#unavailable(why, { cause: error });
    }

    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const parsed = prometheusResponseSchema.safeParse(json);
    if (!parsed.success) {
      const what = response.ok
        ? 'a body that is not the Prometheus HTTP API'
        : `HTTP ${response.status}`;
      throw this.#unavailable(`answered ${what} on /${path}`, { status: response.status });
    }
    const body = parsed.data;
    if (body.status === 'error') {
      const type = body.errorType ? ` (${body.errorType})` : '';
      throw this.#unavailable(
        `refused the query${type}: ${body.error ?? `HTTP ${response.status}`}`,
        {
          status: response.status,
          errorType: body.errorType,
        },
      );
    }
    if (!response.ok)
      throw this.#unavailable(`answered HTTP ${response.status} on /${path}`, {
        status: response.status,
      });
    return body.data;
  }

  #unavailable(
    why: string,
    details: { status?: number; errorType?: string; cause?: unknown } = {},
  ): MetricsUnavailableError {
    return new MetricsUnavailableError(
      `Prometheus at ${this.#display} ${why}; golden metrics are unavailable.`,
      {
        url: this.#display,
        ...details,
      },
    );
  }
}

async function runAll<T extends { labels: Record<string, string> }>(
  queries: GoldenQueries,
  run: (query: string) => Promise<T[]>,
): Promise<{ responses: T[]; p50Ms: T[]; p95Ms: T[]; p99Ms: T[] }> {
  const [responses, latency] = await Promise.all([run(queries.responses), run(queries.latency)]);
  return { responses, ...byQuantile(latency) };
}

function describe(error: unknown): string {
  const { message, cause } = (error ?? {}) as { message?: unknown; cause?: { message?: unknown } };
  if (typeof message !== 'string') return String(error);
  return typeof cause?.message === 'string' ? `${message}: ${cause.message}` : message;
}
