// Open-loop HTTP load, run in a worker thread so the client's own work does not sit on the
// event loop of the server it measures. Requests leave on a fixed schedule whether or not
// earlier ones have returned, so a slow server shows up as latency, not as a lower rate.
import { parentPort, workerData } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';

export interface LoadRequest {
  url: string;
  ratePerSecond: number;
  seconds: number;
  /** Picks the body of request `i`. */
  canaries: number;
  namespace: string;
}

export interface LoadResult {
  p50: number;
  p99: number;
  errors: number;
  opened: number;
}

async function load({
  url,
  ratePerSecond,
  seconds,
  canaries,
  namespace,
}: LoadRequest): Promise<LoadResult> {
  const total = ratePerSecond * seconds;
  const latencies: number[] = [];
  let errors = 0;
  let opened = 0;
  const start = performance.now();
  const requests: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const wait = start + (i * 1000) / ratePerSecond - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const name = `bot-${(i * 7919) % canaries}`;
    const sent = performance.now();
    requests.push(
      fetch(`${url}/gate/promotion`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name, namespace, phase: 'Progressing', checksum: 'x' }),
      })
        .then(async (response) => {
          await response.arrayBuffer();
          latencies.push(performance.now() - sent);
          if (response.status === 200) opened += 1;
          else if (response.status !== 403) errors += 1;
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
  return { p50: at(0.5), p99: at(0.99), errors, opened };
}

if (parentPort) parentPort.postMessage(await load(workerData as LoadRequest));
