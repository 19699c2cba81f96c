// Rollback after promotion under the real Flagger (docs/design.md, "Rollback after
// promotion"): the action deploys v1 and v2 (each deploy records what the primary runs),
// Flagger promotes v2, `greenlight rollback` brings v1 back through a new analysis, and the
// action's `command: rollback` with skip-analysis brings v2 back at once. The action runs
// from its sources, the CLI as its bin.
import { readFileSync, rmSync } from 'node:fs';
import type { V1Deployment } from '@kubernetes/client-node';
import type { Canary } from 'flagger-types';
import {
  PROMOTED_HISTORY,
  readPromotedHistory,
  ROLLBACK_BY,
  ROLLBACK_REVISION,
} from '@greenlight/core';
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
  scenarioWithRuns,
  type ActionRuns,
} from '../harness/action-runs.ts';
import { runAction, SOURCE_ENTRY, type ActionRun } from '@greenlight/test-kit/processes/run-action';
import { runBin } from '@greenlight/test-kit/processes/run-bin';

const NAME = 'chatbot';
const REGISTRY = '127.0.0.1:5000/acme';
const commit = (n: number) => String(n).repeat(40);
const imageOf = (n: number) => `${REGISTRY}/${NAME}:${commit(n)}`;
const ID = `${FUNCTIONS_NAMESPACE}/${NAME}`;

let plane: ControlPlane;
let rollout: RolloutWatch;
let kubeconfig: string;
let workspace: string;
const runs: ActionRuns = [];

beforeAll(async () => {
  plane = await startControlPlane({ meshProvider: 'linkerd' });
  rollout = await RolloutWatch.start(plane, NAME);
  plane.mesh.users.setRate(NAME, 10);
  kubeconfig = readFileSync(plane.apiserver.adminKubeconfig, 'utf8');
  workspace = actionWorkspace(NAME, REGISTRY);
  await applyFaasCliDeployment(plane.kube, NAME, REGISTRY);
}, 180_000);

afterAll(async () => {
  rollout?.stop();
  await plane?.stop();
  if (workspace) rmSync(workspace, { recursive: true, force: true });
});

const scenario = scenarioWithRuns(runs, () => ({ plane, rollout }));

async function action(
  title: string,
  sha: string,
  inputs: Record<string, string>,
): Promise<ActionRun> {
  const run = await runAction({
    entry: SOURCE_ENTRY,
    cwd: workspace,
    env: { GITHUB_WORKSPACE: workspace, GITHUB_SHA: sha },
    inputs: {
      kubeconfig,
      namespace: FUNCTIONS_NAMESPACE,
      functions: NAME,
      timeout: '5m',
      ...inputs,
    },
  });
  runs.push({ title, run });
  return run;
}

/** A merge's deploy with approval off: Flagger analyses and promotes on its own. */
const deploy = (n: number) =>
  action(`deploy ${n}`, commit(n), {
    command: 'deploy',
    builder: 'none',
    registry: REGISTRY,
    provider: 'linkerd',
    interval: '10s',
    'step-weight': '50',
    'max-weight': '50',
    threshold: '2',
    'wait-until': 'done',
  });

const primary = async () => ({
  revision: await deploymentRevision(plane.kube, `${NAME}-primary`),
  image: (
    await plane.kube.get<V1Deployment>({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: FUNCTIONS_NAMESPACE,
      name: `${NAME}-primary`,
    })
  )?.spec?.template.spec?.containers[0]?.image,
});

scenario('promote v2, roll back to v1 through an analysis: the primary runs v1 again', async () => {
  for (const n of [1, 2]) {
    const run = await deploy(n);
    expect(run.errors).toEqual([]);
    expect(run.outputs.result).toBe('succeeded');
  }
  expect(await primary()).toEqual({ revision: commit(2), image: imageOf(2) });
  expect(readPromotedHistory(rollout.canary).map((e) => [e.revision, e.images[NAME]])).toEqual([
    [commit(1), imageOf(1)],
  ]);

  const from = rollout.phases.length;
  const cli = await runBin(['rollback', ID, '--by', 'on-call'], {
    KUBECONFIG: plane.apiserver.adminKubeconfig,
  });
  expect(cli.err).toBe('');
  expect(cli.code).toBe(0);
  expect(cli.out).toContain(
    `${ID}: rolling back from revision ${commit(2)} to ${commit(1)} (${imageOf(1)}) by e2e-admin (on-call)`,
  );
  await rollout.until(
    (phase) => phase === 'Succeeded' && rollout.since(from).includes('Progressing'),
  );
  expect(rollout.since(from)).toEqual(
    expect.arrayContaining(['Progressing', 'Promoting', 'Succeeded']),
  );
  expect(await primary()).toEqual({ revision: commit(1), image: imageOf(1) });
  const annotations = (rollout.canary as Canary).metadata.annotations ?? {};
  expect(annotations[ROLLBACK_REVISION]).toBe(commit(1));
  expect(annotations[ROLLBACK_BY]).toBe('e2e-admin');
  expect((await rollout.events()).join('\n')).toContain(
    `on-call (as e2e-admin) rolled back from revision ${commit(2)} to ${commit(1)}`,
  );
  // The audit is signed by its writer: the gate chart's policy refuses another name.
  const forged = await plane.kube
    .mergePatch(
      {
        apiVersion: 'flagger.app/v1beta1',
        kind: 'Canary',
        namespace: FUNCTIONS_NAMESPACE,
        name: NAME,
      },
      { metadata: { annotations: { [ROLLBACK_BY]: 'someone-else' } } },
    )
    .catch((error: Error) => error);
  expect(String((forged as Error).message)).toMatch(
    /a rollback must be signed by its writer: greenlight.dev\/rollback-by must be e2e-admin .* not someone-else/,
  );
});

scenario(
  'command: rollback with skip-analysis (an approver) brings v2 back at once, then the analysis is on again',
  async () => {
    const from = rollout.phases.length;
    const run = await action('rollback', commit(2), {
      command: 'rollback',
      revision: commit(2),
      'skip-analysis': 'true',
    });
    expect(run.errors).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.outputs.result).toBe('succeeded');
    expect(await primary()).toEqual({ revision: commit(2), image: imageOf(2) });
    // Promoted without an analysis: Flagger says so, and never went through Promoting.
    expect((await rollout.events()).join('\n')).toContain(
      `Promotion completed! Canary analysis was skipped for ${NAME}.${FUNCTIONS_NAMESPACE}`,
    );
    expect(rollout.since(from)).not.toContain('Promoting');
    const canary = await plane.kube.get<Canary>({
      apiVersion: 'flagger.app/v1beta1',
      kind: 'Canary',
      namespace: FUNCTIONS_NAMESPACE,
      name: NAME,
    });
    expect(canary?.spec.skipAnalysis).toBe(false);
  },
);

scenario(
  'a history entry the primary never ran (written by whoever may patch the Canary) is not promoted without an analysis',
  async () => {
    const ref = {
      apiVersion: 'flagger.app/v1beta1',
      kind: 'Canary',
      namespace: FUNCTIONS_NAMESPACE,
      name: NAME,
    };
    // The record is the deploy credential's to write: an image nobody approved under v1's name.
    const evil = `${REGISTRY}/evil:${commit(1)}`;
    const forged = [
      { revision: commit(1), images: { [NAME]: evil }, at: new Date().toISOString() },
    ];
    await plane.kube.mergePatch(ref, {
      metadata: { annotations: { [PROMOTED_HISTORY]: JSON.stringify(forged) } },
    });
    const target = () =>
      plane.kube.get<V1Deployment>({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        namespace: FUNCTIONS_NAMESPACE,
        name: NAME,
      });
    const before = (await target())?.metadata?.resourceVersion;
    const cli = await runBin(['rollback', ID, '--skip-analysis'], {
      KUBECONFIG: plane.apiserver.adminKubeconfig,
    });
    expect(cli.code).toBe(2);
    expect(cli.err).toContain(
      `greenlight: --skip-analysis: revision ${commit(1)} as recorded on Canary ${ID} (${NAME}=${evil}) is not among what ${NAME}-primary ran, as its ReplicaSets show`,
    );
    expect(cli.out).toBe('');
    expect((await target())?.metadata?.resourceVersion).toBe(before);
    expect((await plane.kube.get<Canary>(ref))?.spec.skipAnalysis).toBe(false);
    expect(await primary()).toEqual({ revision: commit(2), image: imageOf(2) });
  },
);
