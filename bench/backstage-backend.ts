// The Backstage backend with 500 chatbots in its cache: Prometheus queries per fleet page,
// and the latency of `GET /rollouts` at a fixed request rate beside a baseline route of the
// same Backstage backend that answers a static body of the same size.
//
//   npm run bench:backstage          (prints tables; figures go in the README)
//
// The stand-in cluster and Prometheus run in a worker (backstage-stand-in.ts), the load in
// another (load.ts); the backend — Backstage's test backend with the plugin, a catalog
// serving the 500 annotated entities and an allow-all permission service — in this thread.
// `GET /rollouts` is measured twice: against the live metrics stand-in, whose PromQL
// evaluation is slow and shares this machine's CPUs, and with its answers replayed
// (Prometheus answering at once), which leaves the backend's own cost. A page view that
// arrives while the shared metrics answer is being renewed gets the previous answer at once
// (stale-while-revalidate, up to 30 s old); the split printed at the end shows whether page
// views that overlapped a round of queries were any slower.
import { availableParallelism, loadavg } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { AddressInfo } from 'node:net';
import {
  coreServices,
  createBackendPlugin,
  type BackendFeature,
} from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices, startTestBackend } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import Router from 'express-promise-router';
import type { FleetResponse } from '@greenlight/backstage-plugin-greenlight-common';
import greenlightPlugin from '@greenlight/backstage-plugin-greenlight-backend';
import { routerPlugin } from '@greenlight/test-kit/backstage/backend';
import type { LoadRequest, LoadResult } from './load.ts';
import type { QueryLogEntry, StandInMode, StandInReady } from './backstage-stand-in.ts';

const CHATBOTS = 500;
const NS = 'openfaas-fn';
const RATE_PER_SECOND = 100;
/** Each run spans two expiries of the backend's 5 s metrics sharing. */
const SECONDS_PER_RUN = 10;
const RUNS = 5;
const SHARING_MS = 5000;
const VIEWS = 20;
const AUTH = { authorization: mockCredentials.user.header() };

// --- the stand-in cluster and Prometheus --------------------------------------------------
process.stdout.write(`seeding ${CHATBOTS} chatbots into the API and metrics stand-ins… `);
const standIn = new Worker(new URL('./backstage-stand-in.ts', import.meta.url), {
  workerData: { chatbots: CHATBOTS },
});
const ready = await new Promise<StandInReady>((resolve, reject) => {
  standIn.once('message', resolve);
  standIn.once('error', reject);
});
console.log('done');
const queryLog = () =>
  new Promise<QueryLogEntry[]>((resolve) => {
    standIn.once('message', resolve);
    standIn.postMessage('log');
  });

// --- the backend --------------------------------------------------------------------------
const entities: Entity[] = Array.from({ length: CHATBOTS }, (_, i) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: `bot-${i}`,
    namespace: 'default',
    annotations: { 'greenlight.dev/canary': `${NS}/bot-${i}` },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-bots' },
}));

/** The catalog's answer to Greenlight's one query per page view, serialised once. */
function fakeCatalog(): BackendFeature {
  const answer = JSON.stringify(entities);
  return routerPlugin('catalog', (router) => {
    router.get('/entities', (_req, res) => {
      res.type('application/json').send(answer);
    });
  });
}

/** The baseline: authenticates like the plugin, then answers a fixed FleetResponse. */
let baselineBody: unknown = null;
const baselinePlugin = createBackendPlugin({
  pluginId: 'baseline',
  register(env) {
    env.registerInit({
      deps: { httpRouter: coreServices.httpRouter, httpAuth: coreServices.httpAuth },
      async init({ httpRouter, httpAuth }) {
        const router = Router();
        router.get('/rollouts', async (req, res) => {
          await httpAuth.credentials(req, { allow: ['user', 'service'] });
          res.json(baselineBody);
        });
        httpRouter.use(router);
      },
    });
  },
});

const backend = await startTestBackend({
  features: [
    greenlightPlugin,
    fakeCatalog(),
    baselinePlugin,
    mockServices.rootConfig.factory({
      data: {
        greenlight: {
          clusters: [{ name: 'bench', kubeconfig: ready.kubeconfig }],
          prometheus: { url: ready.prometheusUrl, timeoutMs: 10_000 },
          metrics: { source: 'sandbox' },
        },
      },
    }),
    mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
  ],
});
const base = `http://127.0.0.1:${(backend.server.address() as AddressInfo).port}/api`;

async function fleetPage(): Promise<{ body: FleetResponse; bytes: number }> {
  const response = await fetch(`${base}/greenlight/rollouts`, { headers: AUTH });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`GET /rollouts: ${response.status} ${text}`);
  return { body: JSON.parse(text) as FleetResponse, bytes: Buffer.byteLength(text) };
}
const queriesSince = async (since: number) =>
  (await queryLog()).filter(([path, began]) => path.startsWith('/api/v1/') && began >= since)
    .length;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// --- Prometheus queries per fleet page ----------------------------------------------------
let since = Date.now();
const first = await fleetPage();
const withMetrics = first.body.items.filter((item) => item.metrics).length;
if (first.body.items.length !== CHATBOTS || withMetrics !== CHATBOTS) {
  throw new Error(
    `the first page shows ${first.body.items.length} rollouts, ${withMetrics} with metrics (${first.body.metricsProblem?.message ?? 'no problem given'}); expected ${CHATBOTS}`,
  );
}
const cold = await queriesSince(since);
const sequential = await Promise.all(
  Array.from({ length: VIEWS - 1 }, (_, i) => sleep(i * 100).then(fleetPage)),
);
const sharedSequential = await queriesSince(since);

await sleep(SHARING_MS + 200); // the shared answer is no longer fresh
since = Date.now();
await Promise.all(Array.from({ length: VIEWS }, fleetPage));
const sharedConcurrent = await queriesSince(since);
baselineBody = sequential.at(-1)!.body;
const bytes = sequential.at(-1)!.bytes;

console.log(`\n${CHATBOTS} chatbots · fleet page ${(bytes / 1024).toFixed(0)} KiB`);
console.log('| fleet page views | Prometheus queries | per page view |');
console.log('| --- | --- | --- |');
const perView = (label: string, queries: number, views: number) =>
  console.log(`| ${label} | ${queries} | ${(queries / views).toFixed(2)} |`);
perView('1, metrics cache cold', cold, 1);
perView(
  `${VIEWS}, one every 100 ms within the ${SHARING_MS / 1000} s sharing window`,
  sharedSequential,
  VIEWS,
);
perView(
  `${VIEWS} at once, the answer past its ${SHARING_MS / 1000} s (served, one refresh behind)`,
  sharedConcurrent,
  VIEWS,
);

// --- latency at a fixed rate --------------------------------------------------------------
type Run = LoadResult & { samples: [number, number][] };

function load(path: string): Promise<Run> {
  const request: LoadRequest = {
    url: base,
    ratePerSecond: RATE_PER_SECOND,
    seconds: SECONDS_PER_RUN,
    get: path,
    headers: AUTH,
    samples: true,
  };
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./load.ts', import.meta.url), { workerData: request });
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
};

const setMode = (mode: StandInMode) => standIn.postMessage(mode);
const sessions = {
  live: { label: '`GET /rollouts`, live stand-in', mode: 'live', path: '/greenlight/rollouts' },
  replay: {
    label: '`GET /rollouts`, answers replayed',
    mode: 'replay',
    path: '/greenlight/rollouts',
  },
  baseline: { label: 'baseline: static body, same size', mode: 'live', path: '/baseline/rollouts' },
} as const;
type Session = keyof typeof sessions;
const runs: Record<Session, Run[]> = { live: [], replay: [], baseline: [] };

for (const session of Object.keys(sessions) as Session[]) {
  setMode(sessions[session].mode);
  await load(sessions[session].path); // warm-up: JIT, connection pool, replayed answers
}
const loadBefore = loadavg()[0]!;
for (let run = 0; run < RUNS; run++) {
  for (const session of Object.keys(sessions) as Session[]) {
    setMode(sessions[session].mode);
    runs[session].push(await load(sessions[session].path));
  }
}
const log = (await queryLog()).filter(([, , ended]) => !Number.isNaN(ended));

const row = (session: Session) => {
  const [p50, p95, p99, max] = (['p50', 'p95', 'p99', 'max'] as const).map((field) =>
    median(runs[session].map((r) => r[field])),
  );
  return {
    p50: p50!,
    p95: p95!,
    p99: p99!,
    max: max!,
    errors: runs[session].reduce((n, r) => n + r.errors, 0),
  };
};
const rows = { live: row('live'), replay: row('replay'), baseline: row('baseline') };
console.log(
  `\n${RATE_PER_SECOND} req/s open loop · ${SECONDS_PER_RUN} s per run · median of ${RUNS} runs · ${availableParallelism()} CPUs, load average ${loadBefore.toFixed(1)} before, ${loadavg()[0]!.toFixed(1)} after`,
);
console.log('| route | p50 ms | p95 ms | p99 ms | max ms | errors |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const session of Object.keys(sessions) as Session[]) {
  const r = rows[session];
  console.log(
    `| ${sessions[session].label} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.max.toFixed(0)} | ${r.errors} |`,
  );
}
for (const session of ['live', 'replay'] as const) {
  const [r, b] = [rows[session], rows.baseline];
  console.log(
    `| ratio ${session}/baseline | ${(r.p50 / b.p50).toFixed(2)}× | ${(r.p95 / b.p95).toFixed(2)}× | ${(r.p99 / b.p99).toFixed(2)}× | | |`,
  );
}

// Which page views waited for a round of metrics queries: a round is the span of its
// Prometheus requests (they run in parallel); a page view waited if its span overlaps one.
const rounds: [number, number][] = [];
for (const [, began, ended] of [...log].sort((x, y) => x[1] - y[1])) {
  const last = rounds.at(-1);
  if (last && began <= last[1] + 50) last[1] = Math.max(last[1], ended);
  else rounds.push([began, ended]);
}
const within = (run: Run) => {
  const [first, last] = [run.samples[0]![0], run.samples.at(-1)![0]];
  return rounds.filter(([began]) => began >= first - 100 && began <= last + 2000);
};
const views = RUNS * RATE_PER_SECOND * SECONDS_PER_RUN;
for (const session of ['live', 'replay'] as const) {
  const theirs = runs[session].flatMap(within);
  const queries = log.filter(([, began]) =>
    theirs.some(([from, to]) => began >= from && began <= to),
  ).length;
  const samples = runs[session].flatMap((r) => r.samples);
  const waited = (sent: number, ms: number) =>
    theirs.some(([began, ended]) => sent <= ended && sent + ms >= began);
  const during = samples.filter(([sent, ms]) => waited(sent, ms)).map(([, ms]) => ms);
  const between = samples.filter(([sent, ms]) => !waited(sent, ms)).map(([, ms]) => ms);
  const roundMs = median(theirs.map(([began, ended]) => ended - began));
  const ms = (values: number[], q: number) => quantile(values, q).toFixed(1);
  console.log(`\n${sessions[session].label}, ${views} page views:`);
  console.log(
    `- Prometheus queries: ${queries} in ${theirs.length} rounds (${(queries / views).toFixed(3)} per page view); a round takes ${roundMs.toFixed(0)} ms (median)`,
  );
  console.log(
    `- page views that overlapped a round: ${during.length} (p50 ${ms(during, 0.5)} ms, p95 ${ms(during, 0.95)} ms)`,
  );
  console.log(
    `- page views between rounds: ${between.length} (p50 ${ms(between, 0.5)} ms, p95 ${ms(between, 0.95)} ms, p99 ${ms(between, 0.99)} ms)`,
  );
}

await backend.stop();
standIn.postMessage('close');
await new Promise((resolve) => standIn.once('exit', resolve));
