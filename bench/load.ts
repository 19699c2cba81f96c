// Open-loop HTTP load, run in a worker thread so the client's own work does not sit on the
// event loop of the server it measures. Requests leave on a fixed schedule whether or not
// earlier ones have returned, so a slow server shows up as latency, not as a lower rate.
import { parentPort, workerData } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';

/** The gate's promotion webhook, for the Canaries `names` of `namespace` in turn. */
export interface GateLoad {
  names: string[];
  namespace: string;
  /** Flagger's checksum of each canary's analysis, by name. */
  checksums: Record<string, string>;
}

/** A plain GET of `path` (e.g. a backend route), 200 expected. */
export interface GetLoad {
  get: string;
  headers?: Record<string, string>;
  /** Also return every request's send time and latency (see LoadResult.samples). */
  samples?: boolean;
}

export type LoadRequest = { url: string; ratePerSecond: number; seconds: number } & (
  GateLoad | GetLoad
);

export interface LoadResult {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  errors: number;
  /** Gate: promotions allowed (200). GET: answers 200. */
  opened: number;
  /** When asked: [sent at, epoch ms (performance.timeOrigin + now), latency ms] per request. */
  samples?: [number, number][];
}

function send(request: LoadRequest, i: number): Promise<Response> {
  if ('get' in request) return fetch(`${request.url}${request.get}`, { headers: request.headers });
  const name = request.names[(i * 7919) % request.names.length]!;
  return fetch(`${request.url}/gate/promotion`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      name,
      namespace: request.namespace,
      phase: 'WaitingPromotion',
      checksum: request.checksums[name],
    }),
  });
}

async function load(request: LoadRequest): Promise<LoadResult> {
  const { ratePerSecond, seconds } = request;
  const gate = !('get' in request);
  const total = ratePerSecond * seconds;
  const latencies: number[] = [];
  const samples: [number, number][] = [];
  let errors = 0;
  let opened = 0;
  const start = performance.now();
  const requests: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const wait = start + (i * 1000) / ratePerSecond - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const sent = performance.now();
    requests.push(
      send(request, i)
        .then(async (response) => {
          await response.arrayBuffer();
          const latency = performance.now() - sent;
          latencies.push(latency);
          samples.push([performance.timeOrigin + sent, latency]);
          if (response.status === 200) opened += 1;
          else if (!gate || response.status !== 403) errors += 1;
        })
        .catch(() => {
          errors += 1;
        }),
    );
  }
  await Promise.all(requests);
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return {
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    max: latencies.at(-1) ?? NaN,
    errors,
    opened,
    ...('samples' in request && request.samples ? { samples } : {}),
  };
}

if (parentPort) parentPort.postMessage(await load(workerData as LoadRequest));
