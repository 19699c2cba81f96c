// The GitHub Action under the real Flagger, in one chatbot's life: the committed bundle run
// as a runner runs it (`node action/dist/index.js`, INPUT_*, GITHUB_*, the output and
// summary files), builder none with an image reference, against this control plane, with
// a stand-in for api.github.com that checks each call against GitHub's OpenAPI description.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { V1Deployment, V1Service } from '@kubernetes/client-node';
import type { Canary } from 'flagger-types';
import { APPROVED_BY, APPROVED_NOTE } from '@greenlight/core';
import {
  startControlPlane,
  FUNCTIONS_NAMESPACE,
  type ControlPlane,
} from '../harness/control-plane.ts';
import { deploymentRevision } from '../harness/chatbot.ts';
import { RolloutWatch } from '../harness/rollout-watch.ts';
import {
  actionWorkspace,
  applyFaasCliDeployment,
  chatbotStack,
  scenarioWithRuns,
  type ActionRuns,
} from '../harness/action-runs.ts';
import { runAction, type ActionRun } from '@greenlight/test-kit/processes/run-action';
import { startGitHubStandIn, type GitHubStandIn } from '@greenlight/test-kit/stand-ins/github';

const NAME = 'chatbot';
const REGISTRY = '127.0.0.1:5000/acme';
/** A merge's commit: the revision the action ships (GITHUB_SHA). */
const commit = (n: number) => String(n).repeat(40);
const imageOf = (n: number) => `${REGISTRY}/${NAME}:${commit(n)}`;

let plane: ControlPlane;
let rollout: RolloutWatch;
let github: GitHubStandIn;
let kubeconfig: string;
let workspace: string;
const runs: ActionRuns = [];

beforeAll(async () => {
  plane = await startControlPlane({ meshProvider: 'linkerd' });
  rollout = await RolloutWatch.start(plane, NAME);
  // The chatbot's users: real messages through the mesh, split by Flagger's TrafficSplit.
  plane.mesh.users.setRate(NAME, 10);
  github = await startGitHubStandIn();
  kubeconfig = readFileSync(plane.apiserver.adminKubeconfig, 'utf8');
  workspace = actionWorkspace(NAME, REGISTRY);
  await applyFaasCliDeployment(plane.kube, NAME, REGISTRY);
}, 180_000);

afterAll(async () => {
  rollout?.stop();
  await github?.close();
  await plane?.stop();
  if (workspace) rmSync(workspace, { recursive: true, force: true });
});

/** A failing scenario also prints the tail of every action run it made. */
const scenario = scenarioWithRuns(runs, () => ({ plane, rollout }));

interface Job {
  /** The workflow run: GITHUB_RUN_ID, and the merge's commit. */
  runId: number;
  sha: string;
  actor?: string;
}

/** One step of a workflow job, as a runner runs it. */
async function action(title: string, job: Job, inputs: Record<string, string>): Promise<ActionRun> {
  const run = await runAction({
    cwd: workspace,
    env: {
      GITHUB_WORKSPACE: workspace,
      GITHUB_SHA: job.sha,
      GITHUB_RUN_ID: String(job.runId),
      GITHUB_ACTOR: job.actor ?? 'octocat',
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
  runs.push({ title, run });
  return run;
}

/** merge-to-deploy.yml's deploy job: approval on, Flagger's shortest interval, one step. */
const deploy = (job: Job, stackFile = 'stack.yml', extra: Record<string, string> = {}) =>
  action(`deploy ${job.sha.slice(0, 7)}`, job, {
    ...extra,
    command: 'deploy',
    'stack-file': stackFile,
    builder: 'none',
    registry: REGISTRY,
    approval: 'true',
    'gate-url': plane.gate.url,
    'wait-until': 'awaiting-approval',
    interval: '10s',
    'step-weight': '50',
    'max-weight': '50',
    threshold: '2',
    'prometheus-url': plane.prometheus.url,
    // The default provider, gatewayapi, judges by MetricTemplates that query it in the cluster.
    'prometheus-address': plane.prometheus.url,
  });

/** merge-to-deploy.yml's promote job, in the protected environment, after a reviewer. */
const promote = (job: Job, revision: string) =>
  action(`promote ${revision.slice(0, 7)}`, job, {
    command: 'promote',
    revision,
    'wait-until': 'done',
  });

const runUrl = (runId: number) => `https://github.com/acme/chatbots/actions/runs/${runId}`;

/** The GitHub deployment statuses a run posted, in order. */
const statusesOf = (runId: number) =>
  github.requests
    .filter(
      (r) =>
        r.operationId === 'repos/create-deployment-status' && r.body?.log_url === runUrl(runId),
    )
    .map((r) => r.body?.state);

const read = <T>(apiVersion: string, kind: string, name: string) =>
  plane.kube.get<T & { metadata?: object }>({
    apiVersion,
    kind,
    namespace: FUNCTIONS_NAMESPACE,
    name,
  });
const image = async (name: string) =>
  (await read<V1Deployment>('apps/v1', 'Deployment', name))?.spec?.template.spec?.containers[0]
    ?.image;

scenario(
  'the first deploy through the action: Flagger initializes the primary with it and the run succeeds',
  async () => {
    const run = await deploy({ runId: 101, sha: commit(1) });

    expect(run.errors).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.outputs.result).toBe('succeeded');
    expect(run.outputs.revision).toBe(commit(1));
    expect(JSON.parse(run.outputs.images!)).toEqual({ [NAME]: imageOf(1) });
    expect(run.stdout).toMatch(/→ succeeded: .* initialized the primary with it/);
    await rollout.until('Initialized', 10_000);
    expect(await deploymentRevision(plane.kube, `${NAME}-primary`)).toBe(commit(1));
    expect(await image(`${NAME}-primary`)).toBe(imageOf(1));
    expect(statusesOf(101)).toEqual(['in_progress', 'success']);
    expect(github.problems()).toEqual([]);
  },
);

scenario(
  'a good version waits for approval; the promote job approves it as the GitHub actor and Flagger promotes it',
  async () => {
    const from = rollout.phases.length;
    const deployed = await deploy({ runId: 102, sha: commit(2) });

    expect(deployed.errors).toEqual([]);
    expect(deployed.code).toBe(0);
    expect(deployed.outputs.result).toBe('awaiting-approval');
    expect(deployed.stdout).toMatch(/Progressing · green 50% \/ blue 50%/);
    expect(deployed.stdout).toMatch(/WaitingPromotion · green 50% \/ blue 50%/);
    expect(deployed.summary).toContain('awaiting-approval');
    // The run ended; Flagger holds the canary for the gate, which refuses without approval.
    await rollout.until('WaitingPromotion', 10_000);
    expect(await deploymentRevision(plane.kube, `${NAME}-primary`)).toBe(commit(1));

    const promoted = await promote({ runId: 102, sha: commit(2), actor: 'alice' }, commit(2));

    // The promote job's Kubernetes identity approves, for the GitHub actor and run that asked.
    const note = `github:alice ${runUrl(102)}`;
    expect(promoted.errors).toEqual([]);
    expect(promoted.code).toBe(0);
    expect(promoted.outputs.result).toBe('succeeded');
    expect(promoted.stdout).toContain(
      `${NAME}: approved revision ${commit(2)} by e2e-admin (${note})`,
    );
    expect(promoted.stdout).toMatch(/Succeeded · green 0% \/ blue 100%/);
    const canary = rollout.canary as Canary;
    expect(canary.metadata.annotations?.[APPROVED_BY]).toBe('e2e-admin');
    expect(canary.metadata.annotations?.[APPROVED_NOTE]).toBe(note);
    expect(rollout.since(from)).toEqual(
      expect.arrayContaining(['Progressing', 'WaitingPromotion', 'Promoting', 'Succeeded']),
    );
    expect(await deploymentRevision(plane.kube, `${NAME}-primary`)).toBe(commit(2));
    expect(await image(`${NAME}-primary`)).toBe(imageOf(2));
    // One GitHub deployment for the merge: in progress while it waits, success once promoted.
    expect(statusesOf(102)).toEqual(['in_progress', 'in_progress', 'success']);
    expect(github.problems()).toEqual([]);
  },
);

scenario(
  'two merges racing one second apart: the first run is superseded, the second follows the newer revision',
  async () => {
    const first = deploy({ runId: 103, sha: commit(3) });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const second = deploy({ runId: 104, sha: commit(4) });
    const [older, newer] = await Promise.all([first, second]);

    expect(older.code).toBe(0);
    expect(older.outputs.result).toBe('superseded');
    expect(older.notices.join('\n')).toContain(
      `Revision ${commit(3)} of ${FUNCTIONS_NAMESPACE}/${NAME} was superseded by revision ${commit(4)}`,
    );
    expect(statusesOf(103)).toEqual(['in_progress', 'inactive']);

    expect(newer.errors).toEqual([]);
    expect(newer.outputs.result).toBe('awaiting-approval');
    expect(JSON.parse(newer.outputs.canaries!)[0]).toMatchObject({ revision: commit(4) });
    const promoted = await promote({ runId: 104, sha: commit(4) }, commit(4));
    expect(promoted.outputs.result).toBe('succeeded');
    expect(await deploymentRevision(plane.kube, `${NAME}-primary`)).toBe(commit(4));
    expect(await image(`${NAME}-primary`)).toBe(imageOf(4));
    expect(github.problems()).toEqual([]);
  },
);

scenario(
  'a version answering 30 % errors: Flagger rolls it back and the run fails with the metric and its value',
  async () => {
    const run = await deploy({ runId: 105, sha: commit(5) }, 'bad.yml');

    expect(run.outputs.result).toBe('failed');
    expect(run.code).not.toBe(0);
    await rollout.until('Failed', 10_000);
    expect(await deploymentRevision(plane.kube, `${NAME}-primary`)).toBe(commit(4));
    // Flagger's own words from its Events (scheduler_metrics.go), diluted by the previous
    // revision's healthy traffic in its 1m window (test/e2e/README.md): not 70. With the
    // gatewayapi provider (the default) the check is Greenlight's MetricTemplate
    // "success-rate"; with linkerd, Flagger's builtin "success rate … %".
    const error = run.errors.join('\n');
    const check =
      /Last failed check: (success rate (\d+\.\d\d)% < 99%|success-rate (\d+\.\d\d) < 99)\./.exec(
        error,
      );
    expect(error).toContain(
      `Revision ${commit(5)} of ${FUNCTIONS_NAMESPACE}/${NAME} was rolled back`,
    );
    expect(check).not.toBeNull();
    const said = check![1]!;
    const rate = (check![2] ?? check![3])!;
    expect(Number(rate)).toBeGreaterThanOrEqual(69);
    expect(Number(rate)).toBeLessThan(99);
    expect((await rollout.events()).join('\n')).toContain(`advancement ${said}`);
    expect(run.summary).toContain('❌ failed');
    expect(run.summary).toContain(said.replace('<', '&lt;'));
    expect(JSON.parse(run.outputs.canaries!)[0]).toMatchObject({
      function: NAME,
      result: 'failed',
      reason: expect.stringContaining(said),
    });
    expect(statusesOf(105)).toEqual(['in_progress', 'failure']);
  },
);

scenario(
  'a function added to stack.yml: its first merge creates its Deployment and Service, and Flagger initializes it',
  async () => {
    const added = 'faq';
    writeFileSync(join(workspace, 'added.yml'), chatbotStack(added, REGISTRY));
    expect(await read<V1Deployment>('apps/v1', 'Deployment', added)).toBeUndefined();

    const run = await deploy({ runId: 106, sha: commit(6) }, 'added.yml', { functions: added });

    expect(run.errors).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.outputs.result).toBe('succeeded');
    expect(run.stdout).toMatch(/initialized the primary with it/);
    const canary = await read<Canary>('flagger.app/v1beta1', 'Canary', added);
    expect(canary?.status?.phase).toBe('Initialized');
    expect(await deploymentRevision(plane.kube, `${added}-primary`)).toBe(commit(6));
    expect(await image(`${added}-primary`)).toBe(`${REGISTRY}/${added}:${commit(6)}`);
    // The Service the action made is Flagger's apex now: it selects the primary's pods.
    const service = await read<V1Service>('v1', 'Service', added);
    expect(service?.spec?.selector).toEqual({ faas_function: `${added}-primary` });
    expect(statusesOf(106)).toEqual(['in_progress', 'success']);
  },
);
