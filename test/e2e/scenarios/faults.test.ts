// Greenlight through API faults on the real kube-apiserver, under the real Flagger: the fault
// proxy of the reliability suite (test/reliability/fault-proxy.ts) sits between the real API
// server and everything of Greenlight's — the action (the committed bundle as a process, its
// kubeconfig input pointing at the proxy) and the gate Flagger's confirm-promotion calls —
// and injects 500s, 429s with Retry-After, slow answers, resets mid-watch and 410 Gone on
// watch resumption on a seeded schedule. Flagger talks to the API server directly.
// Promises: no wrong verdict, no lost approval (it reaches the Canary once and Flagger
// promotes), every fault retried or reported in words (no stack trace, no raw error).
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Canary } from 'flagger-types';
import { parse, stringify } from 'yaml';
import { APPROVED_BY, APPROVED_NOTE } from '@greenlight/core';
import {
  startControlPlane,
  FUNCTIONS_NAMESPACE,
  type ControlPlane,
} from '../harness/control-plane.ts';
import { deploymentRevision } from '../harness/chatbot.ts';
import { startGate, type Gate } from '../harness/gate.ts';
import { killOnExit } from '../harness/reaper.ts';
import { RolloutWatch } from '../harness/rollout-watch.ts';
import {
  actionWorkspace,
  applyFaasCliDeployment,
  scenarioWithRuns,
  type ActionRuns,
} from '../harness/action-runs.ts';
import { runAction } from '@greenlight/test-kit/processes/run-action';
import { startGitHubStandIn, type GitHubStandIn } from '@greenlight/test-kit/stand-ins/github';
import {
  startFaultProxy,
  type FaultProxy,
  type FaultRates,
} from '../../reliability/fault-proxy.ts';
import { seedFor } from '../../reliability/support/random.ts';

const SEED = seedFor(8_0017);
/**
 * The npm-test half's rates for answers, doubled for watches: a few rollouts make some 150
 * requests, and each kind should hit the action's deploy, its follow, the promote and the
 * gate's watches. The deploy retries none of its reads and writes (a fault there ends the
 * run with the API's words and is re-run), so higher answer rates would mostly re-run jobs.
 */
const RATES: Required<FaultRates> = {
  error500: 0.06,
  throttle429: 0.04,
  slow: 0.1,
  resetMidWatch: 0.4,
  gone410: 0.4,
};
const NAME = 'chatbot';
const REGISTRY = '127.0.0.1:5000/acme';
const commit = (n: number) => String(n).repeat(40);
/** A run that ends without a verdict (a fault it could not retry) is re-run, as a person would. */
const RUNS_PER_JOB = 8;
/** What a log written for a person never holds: stack frames and the transport's raw words. */
const RAW = [
  /^\s+at \S.*:\d+:\d+\)?$/m,
  /ECONNRESET|ECONNREFUSED|EPIPE|socket hang up|ERR_[A-Z_]+/,
  /\[object Object\]|Unhandled|TypeError|ReferenceError|HTTP-Code:/,
];

let plane: ControlPlane;
let proxy: FaultProxy;
let gate: Gate;
let rollout: RolloutWatch;
let github: GitHubStandIn;
let kubeconfig: string;
let workspace: string;
const runs: ActionRuns = [];
/** The `::error::` lines of runs that ended without a verdict, each followed by a re-run. */
const reported: string[] = [];

/** `file`'s kubeconfig, its server the proxy: plain HTTP, the same bearer token. */
function throughProxy(file: string): string {
  const config = parse(readFileSync(file, 'utf8'));
  for (const { cluster } of config.clusters) {
    cluster.server = proxy.url;
    delete cluster['certificate-authority-data'];
    // client-node accepts an http:// server only with this set (nothing to verify on it).
    cluster['insecure-skip-tls-verify'] = true;
  }
  return stringify(config);
}

/** The CA the run's API server certificate is signed by, from a kubeconfig the harness wrote. */
function caOf(file: string): Buffer {
  const config = parse(readFileSync(file, 'utf8'));
  return Buffer.from(config.clusters[0].cluster['certificate-authority-data'], 'base64');
}

beforeAll(async () => {
  process.stdout.write(`faults.test.ts: seed ${SEED} (GREENLIGHT_SEED=${SEED} replays it)\n`);
  plane = await startControlPlane({ meshProvider: 'linkerd' });
  proxy = await startFaultProxy(
    plane.apiserver.url,
    SEED,
    RATES,
    caOf(plane.apiserver.adminKubeconfig),
  );
  kubeconfig = throughProxy(plane.apiserver.adminKubeconfig);
  // The gate again on its port (the URL every Canary's webhooks name), its API through the
  // proxy with the chart ServiceAccount's token.
  const gateConfig = join(plane.dir, 'gate-faulted.kubeconfig');
  writeFileSync(gateConfig, throughProxy(plane.gateIdentity.kubeconfig), { mode: 0o600 });
  const port = Number(new URL(plane.gate.url).port);
  await plane.gate.process.stop();
  gate = await startGate(plane.dir, gateConfig, FUNCTIONS_NAMESPACE, port);
  killOnExit(gate.process);

  rollout = await RolloutWatch.start(plane, NAME);
  // The chatbot's users: real messages through the mesh, split by Flagger's TrafficSplit.
  plane.mesh.users.setRate(NAME, 10);
  github = await startGitHubStandIn();
  workspace = actionWorkspace(NAME, REGISTRY);
  await applyFaasCliDeployment(plane.kube, NAME, REGISTRY);
}, 180_000);

afterAll(async () => {
  if (proxy) {
    const faults = Object.entries(proxy.counts()).map(([kind, n]) => `${kind} ${n}`);
    process.stdout.write(
      `faults.test.ts: seed ${SEED}, ${proxy.log.length} API requests through the proxy, ` +
        `${proxy.log.filter((e) => e.fault).length} faulted (${faults.join(', ')}); ` +
        `${runs.length} action runs, ${reported.length} ended on a fault and were re-run\n` +
        reported.map((error) => `  reported: ${error}\n`).join(''),
    );
  }
  rollout?.stop();
  await gate?.process.stop();
  await proxy?.close();
  await github?.close();
  await plane?.stop();
  if (workspace) rmSync(workspace, { recursive: true, force: true });
});

/** A failing scenario also prints the tail of every action run it made. */
const scenario = scenarioWithRuns(runs, () => ({ plane, rollout }), `seed ${SEED}\n`);

/**
 * One job of merge-to-deploy.yml through the faults. A run that ends with a verdict is the
 * answer; one that ends without (a write the fault proxy refused and the action did not
 * retry) must say so in words, and is re-run as a person re-runs a failed job.
 */
async function job(title: string, sha: string, inputs: Record<string, string>) {
  for (let attempt = 1; ; attempt++) {
    const run = await runAction({
      cwd: workspace,
      env: {
        GITHUB_WORKSPACE: workspace,
        GITHUB_SHA: sha,
        GITHUB_RUN_ID: String(runs.length + 100),
        GITHUB_API_URL: github.url,
      },
      inputs: {
        kubeconfig,
        namespace: FUNCTIONS_NAMESPACE,
        functions: NAME,
        'github-token': 'ghs_e2e',
        timeout: '5m',
        ...inputs,
      },
    });
    runs.push({ title: `${title} (run ${attempt})`, run });
    for (const pattern of RAW) expect(run.stdout).not.toMatch(pattern);
    if (run.outputs.result || attempt === RUNS_PER_JOB) return run;
    expect(run.errors.length).toBeGreaterThan(0);
    reported.push(...run.errors.map((e) => `${title}: ${e.split('\n')[0]}`));
  }
}

const deploy = (sha: string, extra: Record<string, string> = {}) =>
  job(`deploy ${sha.slice(0, 7)}`, sha, {
    command: 'deploy',
    'stack-file': 'stack.yml',
    builder: 'none',
    registry: REGISTRY,
    approval: 'true',
    'gate-url': gate.url,
    'wait-until': 'awaiting-approval',
    interval: '10s',
    'step-weight': '50',
    'max-weight': '50',
    threshold: '2',
    // The default provider, gatewayapi, judges by MetricTemplates that query it in the cluster.
    'prometheus-address': plane.prometheus.url,
    ...extra,
  });

const approvals = async () =>
  (await rollout.events()).filter((event) => event.startsWith('PromotionApproved:'));

scenario(
  'the first deploy through the faults: Flagger initializes and the run succeeds',
  async () => {
    const run = await deploy(commit(1));
    expect(run.outputs.result).toBe('succeeded');
    expect(run.code).toBe(0);
    await rollout.until('Initialized', 10_000);
    expect(await deploymentRevision(plane.kube, `${NAME}-primary`)).toBe(commit(1));
  },
);

scenario(
  'a good version approved through the faults: the approval lands once, Flagger promotes, the run says succeeded',
  async () => {
    const deployed = await deploy(commit(2));
    expect(deployed.outputs.result).toBe('awaiting-approval');
    expect(deployed.code).toBe(0);
    await rollout.until('WaitingPromotion', 10_000);
    expect(await deploymentRevision(plane.kube, `${NAME}-primary`)).toBe(commit(1));

    const promoted = await job(`promote ${commit(2).slice(0, 7)}`, commit(2), {
      command: 'promote',
      revision: commit(2),
      'wait-until': 'done',
    });
    expect(promoted.outputs.result).toBe('succeeded');
    expect(promoted.code).toBe(0);
    expect(rollout.phases).toContain('Succeeded');
    expect(await deploymentRevision(plane.kube, `${NAME}-primary`)).toBe(commit(2));
    // By the promote job's Kubernetes identity, for the GitHub actor and run that asked.
    const annotations = (rollout.canary as Canary).metadata.annotations ?? {};
    expect(annotations[APPROVED_BY]).toBe('e2e-admin');
    expect(annotations[APPROVED_NOTE]).toMatch(/^github:octocat /);
    // Exactly once: one approval Event, whatever the retries and re-runs did.
    expect(await approvals()).toHaveLength(1);
  },
);

// Before the bad version: Prometheus' 1m window would carry its errors into the next
// canary's first checks (test/e2e/README.md), failing a good version this run expects to wait.
scenario(
  'a rollout still waiting when the run gives up: timed-out, not a verdict, and nothing promoted',
  async () => {
    const run = await deploy(commit(3), { 'wait-until': 'done', timeout: '45s' });
    expect(run.outputs.result).toBe('timed-out');
    expect(run.code).not.toBe(0);
    expect(run.stdout).not.toMatch(/→ (succeeded|failed)/);
    expect(['Progressing', 'WaitingPromotion']).toContain(rollout.phase);
    expect(await deploymentRevision(plane.kube, `${NAME}-primary`)).toBe(commit(2));
    expect(await approvals()).toHaveLength(1);
  },
);

scenario(
  'a version answering 30 % errors: Flagger rolls it back and the run fails with the reason',
  async () => {
    const run = await deploy(commit(4), { 'stack-file': 'bad.yml' });
    expect(run.outputs.result).toBe('failed');
    expect(run.code).not.toBe(0);
    expect(run.errors.join('\n')).toMatch(
      new RegExp(`Revision ${commit(4)} of ${FUNCTIONS_NAMESPACE}/${NAME} was rolled back`),
    );
    // gatewayapi (the default) fails Greenlight's MetricTemplate, linkerd Flagger's builtin check.
    expect(run.errors.join('\n')).toMatch(
      /Last failed check: (success rate \d+\.\d\d% < 99%|success-rate \d+\.\d\d < 99)\./,
    );
    await rollout.until('Failed', 10_000);
    expect(await deploymentRevision(plane.kube, `${NAME}-primary`)).toBe(commit(2));
    expect(await approvals()).toHaveLength(1);
  },
);
