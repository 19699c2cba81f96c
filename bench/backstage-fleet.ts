// The Backstage backend at fleet scale: 20 clusters (20 API servers) × 250 Canaries beside
// its peer, 1 cluster × 250, each started RUNS times. Per start: time to every cluster synced,
// the backend's RSS after sync and after the load, the fleet page alone and at 100 req/s
// open loop, and Prometheus queries per round.
//
//   npm run bench:backstage-fleet          (prints tables; figures go in the README)
//
// The backend is a process of its own (bench/fleet-backend.ts) on core 1, so its RSS is read
// from /proc as its own; the load (bench/open-loop.ts) on core 0 with this process, which
// runs the sandbox's API servers and the test kit's Prometheus stand-in behind a proxy that
// logs every query. One Prometheus serves every cluster, as greenlight.prometheus configures.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { mockCredentials } from '@backstage/backend-test-utils';
import type { FleetResponse } from '@greenlight/backstage-plugin-greenlight-common';
import { startApiServer } from '@greenlight/sandbox';
import { chatbotObjects, NS } from '@greenlight/test-kit/cluster/backstage';
import { startPrometheus } from '@greenlight/test-kit/stand-ins/prometheus';
import type { FleetBackendJob } from './fleet-backend.ts';
import type { OpenLoopJob, OpenLoopResult } from './open-loop.ts';
import { here, onCore, pinSelf, rssMiB } from './server-processes.ts';

const CLUSTERS = 20;
const PER_CLUSTER = 250;
const RATE_PER_SECOND = 100;
const SECONDS = 10;
/** A page view not answered by then counts as not answered, with this latency. */
const TIMEOUT_MS = 5000;
const RUNS = Number(process.env.RUNS ?? 3);
const [LOAD_CORE, BACKEND_CORE] = [0, 1];
const PHASES = ['Progressing', 'WaitingPromotion', 'Succeeded', 'Succeeded', 'Failed'];
const AUTH = { authorization: mockCredentials.user.header() };
const CPUS = availableParallelism(); // before the pinning
pinSelf(LOAD_CORE);

// --- 20 API servers, 250 chatbots each, as bench/backstage-stand-in.ts writes them -------
const clusterName = (c: number) => `c${c}`;
const botName = (c: number, i: number) => `c${c}-bot-${i}`;
process.stdout.write(`seeding ${CLUSTERS} API servers × ${PER_CLUSTER} chatbots… `);
const dir = mkdtempSync(join(tmpdir(), 'greenlight-fleet-'));
const apiServers = await Promise.all(
  Array.from({ length: CLUSTERS }, async (_, c) => {
    const api = await startApiServer();
    const kubeconfig = join(dir, `kubeconfig-${c}`);
    await api.writeKubeconfig(kubeconfig);
    for (let i = 0; i < PER_CLUSTER; i++) {
      const phase = PHASES[i % PHASES.length]!;
      const bot = {
        name: botName(c, i),
        phase,
        greenWeight: phase === 'Succeeded' || phase === 'Failed' ? 0 : 10 + (i % 5) * 10,
        revision: `rev-${i}-b`,
        promotedRevision: `rev-${i}-a`,
        failedChecks: phase === 'Failed' ? 3 : 0,
      };
      for (const object of chatbotObjects(bot)) api.store.put(object);
    }
    return { api, name: clusterName(c), kubeconfig };
  }),
);
console.log('done');

// --- Prometheus: the stand-in answering for a fleet's chatbots, behind a logging proxy ----
/** When each PromQL query arrived, ms (performance.now()). */
async function countedPrometheus(chatbots: string[]) {
  const prometheus = await startPrometheus('healthy', { namespace: NS, chatbots });
  const arrivals: number[] = [];
  const proxy = createServer(async (req, res) => {
    if (req.url?.startsWith('/api/v1/query')) arrivals.push(performance.now());
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const answer = await fetch(new URL(req.url ?? '/', prometheus.url), {
      method: req.method ?? 'GET',
      headers: { 'content-type': req.headers['content-type'] ?? 'text/plain' },
      ...(req.method === 'POST' ? { body: Buffer.concat(chunks) } : {}),
    });
    res.writeHead(answer.status, { 'content-type': 'application/json' });
    res.end(Buffer.from(await answer.arrayBuffer()));
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  const close = () => Promise.all([prometheus.close(), new Promise((r) => proxy.close(r))]);
  return { url, arrivals, close };
}

// --- one start of the backend, measured ---------------------------------------------------
interface Run {
  clusters: number;
  listenMs: number;
  /** From the spawn to the first fleet page's first query: every cluster listed by then. */
  syncedMs: number;
  firstPageMs: number;
  rssSynced: number;
  rssLoaded: number;
  /** One page view alone, median of 10, ms. */
  aloneMs: number;
  pageKiB: number;
  load: OpenLoopResult;
  queries: number;
  rounds: number;
}

async function measure(clusters: number): Promise<Run> {
  const fleet = apiServers.slice(0, clusters);
  const chatbots = fleet.flatMap((_, c) =>
    Array.from({ length: PER_CLUSTER }, (_, i) => botName(c, i)),
  );
  const prometheus = await countedPrometheus(chatbots);
  const job: FleetBackendJob = {
    clusters: fleet.map(({ name, kubeconfig }) => ({ name, kubeconfig })),
    prometheusUrl: prometheus.url,
    entities: fleet.flatMap(({ name: cluster }, c) =>
      Array.from({ length: PER_CLUSTER }, (_, i) => ({
        name: botName(c, i),
        canary: `${NS}/${botName(c, i)}`,
        cluster,
      })),
    ),
  };
  const began = performance.now();
  const [command, args] = onCore(BACKEND_CORE, process.execPath, [
    ...(process.env.BACKEND_NODE_FLAGS?.split(' ').filter(Boolean) ?? []),
    here('./fleet-backend.ts'),
  ]);
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  child.stdin!.end(JSON.stringify(job));
  const port = await listening(child);
  const listenMs = performance.now() - began;
  const page = `http://127.0.0.1:${port}/api/greenlight/rollouts`;
  const get = async () => {
    const response = await fetch(page, { headers: AUTH });
    const body = await response.text();
    if (response.status !== 200) throw new Error(`GET /rollouts: ${response.status} ${body}`);
    return body;
  };
  const first = JSON.parse(await get()) as FleetResponse;
  const firstPageMs = performance.now() - began;
  const withMetrics = first.items.filter((item) => item.metrics).length;
  if (withMetrics !== chatbots.length || !first.clusters.every((c) => c.synced)) {
    throw new Error(
      `the first page shows ${first.items.length} rollouts, ${withMetrics} with metrics; expected ${chatbots.length}`,
    );
  }
  const syncedMs = prometheus.arrivals[0]! - began;
  const rssSynced = rssMiB(child);
  const alone: number[] = [];
  let pageKiB = 0;
  for (let i = 0; i < 10; i++) {
    const sent = performance.now();
    pageKiB = Buffer.byteLength(await get()) / 1024;
    alone.push(performance.now() - sent);
  }
  await openLoop(page, 3); // warm-up
  const from = prometheus.arrivals.length;
  const load = await openLoop(page, SECONDS);
  const during = prometheus.arrivals.slice(from);
  const rssLoaded = rssMiB(child);
  await new Promise((resolve) => {
    child.once('exit', resolve);
    child.kill();
  });
  await prometheus.close();
  // A round's queries leave together; the next round is seconds later.
  const rounds = during.filter((at, i) => i === 0 || at - during[i - 1]! > 1000).length;
  return {
    clusters,
    listenMs,
    syncedMs,
    firstPageMs,
    rssSynced,
    rssLoaded,
    aloneMs: median(alone),
    pageKiB,
    load,
    queries: during.length,
    rounds,
  };
}

function listening(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      const port = /listening (\d+)/.exec(out)?.[1];
      if (port) resolve(Number(port));
    });
    child.once('exit', (code) => reject(new Error(`the backend exited ${code}`)));
  });
}

function openLoop(url: string, seconds: number): Promise<OpenLoopResult> {
  const job: OpenLoopJob = {
    url,
    ratePerSecond: RATE_PER_SECOND,
    seconds,
    bodies: [],
    headers: AUTH,
    timeoutMs: TIMEOUT_MS,
  };
  const [command, args] = onCore(LOAD_CORE, process.execPath, [here('./open-loop.ts')]);
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  child.stdin!.end(JSON.stringify(job));
  let out = '';
  child.stdout!.on('data', (chunk) => (out += chunk));
  return new Promise((resolve, reject) =>
    child.once('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`open-loop exited ${code}`)),
    ),
  );
}

// --- runs, peer and fleet in turn ---------------------------------------------------------
const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const loadBefore = loadavg()[0]!;
const runs: Record<'peer' | 'fleet', Run[]> = { peer: [], fleet: [] };
for (let run = 0; run < RUNS; run++) {
  runs.peer.push(await measure(1));
  runs.fleet.push(await measure(CLUSTERS));
  console.log(`run ${run + 1} of ${RUNS} done`);
}
await Promise.all(apiServers.map(({ api }) => api.close()));

type Figure = [label: string, of: (run: Run) => number, digits: number];
const figures: Figure[] = [
  ['spawn → listening, ms', (r) => r.listenMs, 0],
  ['spawn → every cluster synced, ms', (r) => r.syncedMs, 0],
  ['spawn → first fleet page, ms', (r) => r.firstPageMs, 0],
  ['RSS after sync, MiB', (r) => r.rssSynced, 0],
  ['RSS after the load, MiB', (r) => r.rssLoaded, 0],
  ['fleet page, KiB', (r) => r.pageKiB, 0],
  ['one page view alone, ms', (r) => r.aloneMs, 1],
  [`p50 at ${RATE_PER_SECOND} req/s, ms`, (r) => r.load.p50, 1],
  [`p95 at ${RATE_PER_SECOND} req/s, ms`, (r) => r.load.p95, 1],
  [`p99 at ${RATE_PER_SECOND} req/s, ms`, (r) => r.load.p99, 1],
  ['answers not 200', (r) => RATE_PER_SECOND * SECONDS - (r.load.statuses['200'] ?? 0), 0],
  ['Prometheus queries per round', (r) => r.queries / Math.max(1, r.rounds), 1],
  [
    'Prometheus queries per cluster per round',
    (r) => r.queries / Math.max(1, r.rounds) / r.clusters,
    2,
  ],
];
console.log(
  `\nmedian (min–max) of ${RUNS} starts · ${SECONDS} s at ${RATE_PER_SECOND} req/s open loop after a 3 s warm-up · ${CPUS} CPUs, load average ${loadBefore.toFixed(1)} before, ${loadavg()[0]!.toFixed(1)} after`,
);
console.log(
  `| figure | 1 cluster × ${PER_CLUSTER} | ${CLUSTERS} clusters × ${PER_CLUSTER} | ratio |`,
);
console.log('| --- | --- | --- | --- |');
for (const [label, of, digits] of figures) {
  const cell = (rs: Run[]) => {
    const values = rs.map(of);
    const f = (v: number) => v.toFixed(digits);
    return `${f(median(values))} (${f(Math.min(...values))}–${f(Math.max(...values))})`;
  };
  const ratio = median(runs.fleet.map(of)) / median(runs.peer.map(of));
  console.log(
    `| ${label} | ${cell(runs.peer)} | ${cell(runs.fleet)} | ${Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : '–'} |`,
  );
}
