// An open-loop POST (or GET) load, run as a process of its own so it can be pinned to a core
// (`taskset`) apart from the server it measures. Request i is due at start + i / rate
// whatever the earlier ones did, and its latency counts from when it was due, not from when
// it left: a stall of the server or of this process shows up in the percentiles instead of
// hiding as a lower rate (coordinated omission).
//
// Reads an OpenLoopJob as JSON on stdin, writes an OpenLoopResult as JSON on stdout.
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { text } from 'node:stream/consumers';

export interface OpenLoopJob {
  /** e.g. http://127.0.0.1:8080/gate/promotion */
  url: string;
  ratePerSecond: number;
  seconds: number;
  /** JSON bodies, sent in turn (request i sends bodies[(i * 7919) % length]); none: GETs. */
  bodies: string[];
  headers?: Record<string, string>;
  /** A request not answered within this many ms is dropped and counted as "timeout". */
  timeoutMs?: number;
}

export interface OpenLoopResult {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** Answers by status code, e.g. { "403": 5000 }; "error" for a failed connection. */
  statuses: Record<string, number>;
  /** How late this process sent its latest request, ms: past a few ms, it is the bottleneck. */
  maxSendLag: number;
}

async function run(job: OpenLoopJob): Promise<OpenLoopResult> {
  const url = new URL(job.url);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const bodies = job.bodies.map((body) => Buffer.from(body));
  const total = Math.round(job.ratePerSecond * job.seconds);
  const interval = 1000 / job.ratePerSecond;
  const latencies = new Float64Array(total);
  const statuses: Record<string, number> = {};
  let maxSendLag = 0;
  let done = 0;
  let finished!: () => void;
  const allDone = new Promise<void>((resolve) => (finished = resolve));
  const settled = new Uint8Array(total);
  const settle = (i: number, due: number, status: string) => {
    if (settled[i]) return;
    settled[i] = 1;
    latencies[i] = performance.now() - due;
    statuses[status] = (statuses[status] ?? 0) + 1;
    if (++done === total) finished();
  };
  const send = (i: number, due: number) => {
    const body = bodies.length > 0 ? bodies[(i * 7919) % bodies.length]! : undefined;
    const req = request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: body ? 'POST' : 'GET',
        headers: {
          ...job.headers,
          ...(body ? { 'content-type': 'application/json', 'content-length': body.length } : {}),
        },
      },
      (response) => {
        response.resume();
        response.on('error', () => settle(i, due, 'error'));
        response.on('end', () => settle(i, due, String(response.statusCode)));
      },
    );
    req.on('error', () => settle(i, due, 'error'));
    if (job.timeoutMs) {
      const timer = setTimeout(
        () => {
          settle(i, due, 'timeout');
          req.destroy();
        },
        due + job.timeoutMs - performance.now(),
      );
      req.on('close', () => clearTimeout(timer));
    }
    req.end(body);
  };

  const start = performance.now() + 20;
  let next = 0;
  const tick = () => {
    const now = performance.now();
    for (; next < total && start + next * interval <= now; next++) {
      const due = start + next * interval;
      maxSendLag = Math.max(maxSendLag, now - due);
      send(next, due);
    }
    if (next >= total) return;
    // A timer sleeps at least 1 ms; a shorter wait polls, answers handled in between.
    const wait = start + next * interval - performance.now();
    if (wait >= 1.5) setTimeout(tick, wait - 1);
    else setImmediate(tick);
  };
  tick();
  await allDone;
  agent.destroy();

  latencies.sort();
  const at = (q: number) => latencies[Math.min(total - 1, Math.floor(q * total))]!;
  return {
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    max: latencies[total - 1]!,
    statuses,
    maxSendLag,
  };
}

const job = JSON.parse(await text(process.stdin)) as OpenLoopJob;
process.stdout.write(JSON.stringify(await run(job)));
