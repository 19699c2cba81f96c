// The gate beside flagger-loadtester's gate (issue 18), in the same run: both get the same
// open-loop load of Flagger's confirm-promotion payloads for canaries waiting for approval,
// the gate with 10, 1,000 and 10,000 Canaries (and their Deployments) in its cache. Prints
// p50/p99, RSS and CPU per request of each, medians of several runs, their spread, and the
// ratios; beside them a Node server that decides nothing, for what Node itself costs.
//
//   npm run bench:gate-vs-loadtester      (builds the loadtester once: bench/setup-loadtester)
//
// Core 1 runs the server under load, one at a time; core 0 the load (bench/open-loop.ts),
// this script and the API stand-in, so the client never competes with the server it measures.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestCluster } from '@greenlight/test-kit/cluster';
import { flaggerPayload } from '@greenlight/test-kit/processes/gate';
import type { OpenLoopJob, OpenLoopResult } from './open-loop.ts';
import { canaryName, seedCanaries } from './seed-canaries.ts';
import * as proc from './server-processes.ts';

const COUNTS = [10, 1000, 10_000];
const RATE_PER_SECOND = 1000;
const SECONDS_PER_RUN = 5;
const RUNS = 5;
const NAMESPACE = 'bench';
const [LOAD_CORE, SERVER_CORE] = [0, 1];

proc.pinSelf(LOAD_CORE);
const loadtesterBin = execFileSync('bash', [proc.here('./setup-loadtester')], {
  encoding: 'utf8',
}).trim();
const cluster = await startTestCluster();
const kubeconfig = join(mkdtempSync(join(tmpdir(), 'greenlight-bench-')), 'kubeconfig');
await cluster.api.writeKubeconfig(kubeconfig);

interface Run extends OpenLoopResult {
  rssMiB: number;
  /** The server's CPU time per request during the run, µs. */
  cpuUs: number;
}
interface Row {
  canaries: number;
  server: 'gate' | 'node baseline' | 'loadtester';
  /** Synced (gate) or with its approvals (loadtester), before any load. */
  idleMiB: number;
  runs: Run[];
}
const rows: Row[] = [];
const checksums: Record<string, string> = {};
const loadBefore = loadAverage();
for (const count of COUNTS) {
  process.stderr.write(`seeding to ${count} canaries… `);
  const seeded = Object.keys(checksums).length;
  Object.assign(checksums, await seedCanaries(cluster, NAMESPACE, seeded, count));
  console.error('done');
  const names = Array.from({ length: count }, (_, i) => canaryName(i));
  const payload = (name: string) =>
    JSON.stringify(flaggerPayload(name, NAMESPACE, 'Progressing', checksums[name]));
  // Flagger asks every interval while a canary waits: the odd ones, never approved.
  const bodies = names.filter((_, i) => i % 2 === 1).map(payload);

  const gate = await proc.startGate(SERVER_CORE, kubeconfig, NAMESPACE);
  const baseline = await proc.startNodeBaseline(SERVER_CORE);
  const loadtester = await proc.startLoadtester(SERVER_CORE, loadtesterBin);
  // The approvals, as the loadtester keeps them: one /gate/open per approved canary.
  for (const name of names.filter((_, i) => i % 2 === 0))
    await fetch(`${loadtester.url}/gate/open`, { method: 'POST', body: payload(name) });
  const servers = [
    { name: 'gate' as const, ...gate, path: '/gate/promotion' },
    { name: 'node baseline' as const, ...baseline, path: '/gate/promotion' },
    { name: 'loadtester' as const, ...loadtester, path: '/gate/check' },
  ].map((s) => ({
    ...s,
    row: { canaries: count, server: s.name, idleMiB: proc.rssMiB(s.child), runs: [] } as Row,
  }));
  // Warm-up: every payload at least once (the gate writes an Event on a canary's first
  // refusal, then one per 5 minutes), and the JIT.
  const warmUp = Math.max(3, Math.ceil(bodies.length / RATE_PER_SECOND) + 1);
  for (const s of servers) await load(`${s.url}${s.path}`, bodies, warmUp);
  // Alternating, so the machine's noise falls on all alike.
  for (let run = 0; run < RUNS; run++) {
    for (const s of servers) {
      const cpuBefore = proc.cpuMs(s.child);
      const result = await load(`${s.url}${s.path}`, bodies, SECONDS_PER_RUN);
      const cpuUs =
        ((proc.cpuMs(s.child) - cpuBefore) * 1000) / (RATE_PER_SECOND * SECONDS_PER_RUN);
      s.row.runs.push({ ...result, rssMiB: proc.rssMiB(s.child), cpuUs });
    }
  }
  for (const s of servers) {
    rows.push(s.row);
    await s.stop();
  }
}
await cluster.close();
print(loadBefore);

/** One run of bench/open-loop.ts on the load's core; its result. */
function load(url: string, bodies: string[], seconds: number): Promise<OpenLoopResult> {
  const job: OpenLoopJob = { url, ratePerSecond: RATE_PER_SECOND, seconds, bodies };
  const [command, args] = proc.onCore(LOAD_CORE, process.execPath, [proc.here('./open-loop.ts')]);
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  child.stdin.end(JSON.stringify(job));
  let out = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  return new Promise((resolve, reject) =>
    child.on('close', (code) =>
      code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`open-loop exited ${code}`)),
    ),
  );
}

function print(loadBefore: string): void {
  const median = (values: number[]) =>
    [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const of = (r: Row, pick: (run: Run) => number) => median(r.runs.map(pick));
  const spread = (r: Row, pick: (run: Run) => number) => {
    const values = r.runs.map(pick);
    return `${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)}`;
  };
  const where = proc.pinned
    ? `servers on core ${SERVER_CORE}, load on core ${LOAD_CORE}`
    : 'not pinned (no taskset)';
  console.log(
    `\n${RATE_PER_SECOND} req/s open loop · ${SECONDS_PER_RUN} s per run · median of ${RUNS} runs (spread min–max) · ${where} · load average ${loadBefore} → ${loadAverage()}`,
  );
  console.log(
    '| canaries | server | p50 ms | p99 ms | p50 spread | p99 spread | RSS MiB idle → loaded | CPU µs/request | answers | load send lag, max ms |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const r of rows) {
    const statuses: Record<string, number> = {};
    for (const run of r.runs)
      for (const [code, n] of Object.entries(run.statuses))
        statuses[code] = (statuses[code] ?? 0) + n;
    const answers = Object.entries(statuses)
      .map(([code, n]) => `${n} × ${code}`)
      .join(', ');
    console.log(
      `| ${r.canaries} | ${r.server} | ${of(r, (x) => x.p50).toFixed(2)} | ${of(r, (x) => x.p99).toFixed(2)} | ${spread(r, (x) => x.p50)} | ${spread(r, (x) => x.p99)} | ${r.idleMiB.toFixed(1)} → ${of(r, (x) => x.rssMiB).toFixed(1)} | ${of(r, (x) => x.cpuUs).toFixed(0)} | ${answers} | ${Math.max(...r.runs.map((x) => x.maxSendLag)).toFixed(1)} |`,
    );
  }
  console.log('\n| canaries | ratio to the loadtester | p50 | p99 | RSS | CPU per request |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  const row = (count: number, server: Row['server']) =>
    rows.find((r) => r.canaries === count && r.server === server)!;
  for (const count of COUNTS) {
    for (const server of ['gate', 'node baseline'] as const) {
      const ratio = (pick: (run: Run) => number) =>
        `${(of(row(count, server), pick) / of(row(count, 'loadtester'), pick)).toFixed(2)}×`;
      console.log(
        `| ${count} | ${server} | ${ratio((x) => x.p50)} | ${ratio((x) => x.p99)} | ${ratio((x) => x.rssMiB)} | ${ratio((x) => x.cpuUs)} |`,
      );
    }
  }
}

function loadAverage(): string {
  return readFileSync('/proc/loadavg', 'utf8').split(' ')[0]!;
}
