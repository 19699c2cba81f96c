// Flagger's Prometheus metrics provider (pkg/metrics/providers/prometheus.go): an instant
// query over the HTTP API whose last sample is the value; no sample, or NaN, is "no values
// found". The sandbox's metrics server answers these requests as a Prometheus would.

export class NoValuesFound extends Error {
  constructor() {
    super('no values found');
    this.name = 'NoValuesFound';
  }
}

/** Flagger's provider timeout when a MetricTemplate gives none. */
const QUERY_TIMEOUT_MS = 5000;

interface PrometheusResponse {
  data?: { result?: { value?: [number, string]; values?: unknown }[] };
}

export async function runQuery(address: string, query: string): Promise<number> {
  const url = new URL('api/v1/query', address.endsWith('/') ? address : `${address}/`);
  url.searchParams.set('query', trimQuery(query));
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(QUERY_TIMEOUT_MS) });
  } catch (error) {
    const cause = (error as { cause?: { message?: string } }).cause?.message;
    throw new Error(`request failed: Get "${url}": ${cause ?? (error as Error).message}`, {
      cause: error,
    });
  }
  const body = await response.text();
  if (response.status >= 400) {
    throw new Error(`error response: Status ${response.status} ${response.statusText}: ${body}`);
  }
  let parsed: PrometheusResponse;
  try {
    parsed = JSON.parse(body) as PrometheusResponse;
  } catch (error) {
    throw new Error(`error unmarshaling result: ${(error as Error).message}, '${body}'`, {
      cause: error,
    });
  }
  let value: number | undefined;
  for (const sample of parsed.data?.result ?? []) {
    if (sample.values !== undefined) throw new Error('multiple values returned');
    const text = sample.value?.[1];
    if (typeof text === 'string') value = Number(text);
  }
  if (value === undefined || Number.isNaN(value)) throw new NoValuesFound();
  return value;
}

/** IsOnline: `vector(1)` must answer 1. */
export async function isOnline(address: string): Promise<void> {
  let value: number;
  try {
    value = await runQuery(address, 'vector(1)');
  } catch (error) {
    throw new Error(`running query failed: ${(error as Error).message}`, { cause: error });
  }
  if (value !== 1) throw new Error('value is not 1 for query: vector(1)');
}

/** Flagger sends queries on one line. */
function trimQuery(query: string): string {
  return query.replace(/\n/g, '').replace(/ {2,}/g, ' ').trim();
}
