// Gate latency at a fixed request rate with 1,000 canaries in its cache, against a baseline
// HTTP server in the same process that answers without deciding anything.
//
//   npm run bench            (prints a table; figures go in the README)
//
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Worker } from 'node:worker_threads';
import type { KubernetesObject, V1Deployment } from '@kubernetes/client-node';
import type { Canary } from 'flagger-types';
import {
  approve,
  canaryChecksum,
  createObjectReader,
  decide,
  ObjectCache,
  renderCanary,
  resolveCanaryOptions,
} from '@greenlight/core';
import { createGateServer, GateMetrics } from '@greenlight/gate';
import { chatbotDeployment, startTestCluster } from '@greenlight/test-kit/cluster';
import { writeCanaryStatus } from '@greenlight/test-kit/flagger';
import type { LoadRequest, LoadResult } from './load.ts';

const CANARIES = 1000;
const RATE_PER_SECOND = 400;
const SECONDS_PER_RUN = 3;
const RUNS = 5;

const cluster = await startTestCluster();
process.stdout.write(`seeding ${CANARIES} canaries and deployments into the API stand-in… `);
// Flagger's checksum of each canary's analysis, as it sends it in every webhook payload.
const checksums: Record<string, string> = {};
for (let i = 0; i < CANARIES; i++) {
  const name = `bot-${i}`;
  const [canary] = renderCanary(
    { name },
    resolveCanaryOptions({ namespace: 'bench', approval: true }),
  );
  await cluster.kube.apply(canary as KubernetesObject);
  await cluster.kube.apply(chatbotDeployment(name, 'bench', `rev-${i}`) as KubernetesObject);
  // Held at confirm-promotion, as Flagger writes it (Promoted Unknown since the run began).
  await writeCanaryStatus(cluster.api.url, { namespace: 'bench', name }, 'WaitingPromotion');
  // Every other canary is approved, bound to that analysis: the gate answers both ways.
  const ref = { namespace: 'bench', name };
  const written =
    i % 2 === 0 ? (await approve(cluster.kube, ref, { note: 'bench' })).canary : undefined;
  const current =
    written ??
    (await cluster.kube.get<Canary>({ apiVersion: 'flagger.app/v1beta1', kind: 'Canary', ...ref }));
  checksums[name] = canaryChecksum(current?.status);
}
console.log('done');

const canaries = new ObjectCache<Canary>(cluster.kc, {
  apiVersion: 'flagger.app/v1beta1',
  kind: 'Canary',
});
const deployments = new ObjectCache<V1Deployment>(cluster.kc, {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
});
await Promise.all([canaries.start(), deployments.start()]);
// No event recorder: this measures the decision path; Events are written off it.
const gate = await listen(
  createGateServer({
    canaries,
    deployments,
    // Every allow is confirmed with two live reads (the Canary and its target).
    live: createObjectReader(cluster.kc),
    metrics: new GateMetrics(),
  }),
);
const baseline = await listen(
  createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"allowed":true}');
    });
  }),
);

type Run = LoadResult;

const names = Object.keys(checksums);
/** Flagger asks every interval while a canary waits: these are refused, from the cache. */
const waiting = names.filter((_, i) => i % 2 === 1);
/** Approved: each 200 is first confirmed by live reads (once per rollout under Flagger). */
const approved = names.filter((_, i) => i % 2 === 0);
const ALLOW_RATE_PER_SECOND = 20;

/** One open-loop run from a worker thread (see load.ts). */
function load(url: string, pick = waiting, rate = RATE_PER_SECOND): Promise<Run> {
  const request: LoadRequest = {
    url,
    ratePerSecond: rate,
    seconds: SECONDS_PER_RUN,
    names: pick,
    namespace: 'bench',
    checksums,
  };
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./load.ts', import.meta.url), { workerData: request });
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

await load(gate.url); // warm-up: JIT, connection pool
await load(baseline.url);
const gateRuns: Run[] = [];
const baseRuns: Run[] = [];
const logBefore = cluster.api.requestLog.length;
for (let run = 0; run < RUNS; run++) {
  gateRuns.push(await load(gate.url));
  baseRuns.push(await load(baseline.url));
}
const apiRequests = cluster.api.requestLog.slice(logBefore).filter((entry) => !entry.watch).length;
const decisions = RUNS * RATE_PER_SECOND * SECONDS_PER_RUN;
const allowRuns: Run[] = [];
const allowLogBefore = cluster.api.requestLog.length;
for (let run = 0; run < RUNS; run++)
  allowRuns.push(await load(gate.url, approved, ALLOW_RATE_PER_SECOND));
const allowRequests = cluster.api.requestLog
  .slice(allowLogBefore)
  .filter((entry) => !entry.watch).length;

const row = (label: string, runs: Run[]) => {
  const p50 = median(runs.map((r) => r.p50));
  const p99 = median(runs.map((r) => r.p99));
  return { label, p50, p99, errors: runs.reduce((n, r) => n + r.errors, 0) };
};
const g = row('gate (refusals: canaries waiting for approval)', gateRuns);
const a = row(
  `gate allows (${ALLOW_RATE_PER_SECOND} req/s, each confirmed by live reads)`,
  allowRuns,
);
const b = row('baseline (no decision)', baseRuns);
console.log(
  `\n${CANARIES} canaries cached · ${RATE_PER_SECOND} req/s open loop · ${SECONDS_PER_RUN} s per run · median of ${RUNS} runs`,
);
console.log('| server | p50 ms | p99 ms | errors |');
console.log('| --- | --- | --- | --- |');
for (const r of [g, b])
  console.log(`| ${r.label} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.errors} |`);
console.log(
  `| ratio gate/baseline | ${(g.p50 / b.p50).toFixed(2)}× | ${(g.p99 / b.p99).toFixed(2)}× | |`,
);
console.log(`| ${a.label} | ${a.p50.toFixed(2)} | ${a.p99.toFixed(2)} | ${a.errors} |`);
console.log(
  `\nKubernetes API requests during ${decisions} decisions: ${apiRequests} (${(apiRequests / decisions).toFixed(3)} per decision)`,
);
const allows = RUNS * ALLOW_RATE_PER_SECOND * SECONDS_PER_RUN;
console.log(
  `opened: ${gateRuns.reduce((n, r) => n + r.opened, 0)} of ${decisions} waiting canaries; ${allowRuns.reduce((n, r) => n + r.opened, 0)} of ${allows} approved ones, with ${allowRequests} API requests (${(allowRequests / allows).toFixed(2)} per allow: the Canary and its target, read live)`,
);

// The decision itself, without HTTP: cache lookups + decide(), as the handler does them.
// This is the gate's own cost; the HTTP figures above add the machine's network stack.
const samples: number[] = [];
for (let i = 0; i < 200_000; i++) {
  const name = `bot-${(i * 7919) % CANARIES}`;
  const started = process.hrtime.bigint();
  const canary = canaries.get('bench', name);
  const target = deployments.get('bench', name);
  decide({
    gate: 'promotion',
    payload: { name, namespace: 'bench', phase: 'WaitingPromotion', checksum: checksums[name] },
    canary,
    target,
    synced: true,
  });
  samples.push(Number(process.hrtime.bigint() - started) / 1000);
}
samples.splice(0, 20_000); // warm-up
samples.sort((a, b) => a - b);
const micro = (q: number) => samples[Math.floor(q * samples.length)]!.toFixed(1);
console.log(
  `decision in process (lookups + decide, 180,000 samples): p50 ${micro(0.5)} µs · p99 ${micro(0.99)} µs`,
);

canaries.stop();
deployments.stop();
gate.close();
baseline.close();
await cluster.close();

async function listen(server: Server): Promise<{ url: string; close(): void }> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}
