import { eventually, startTestCluster, type TestCluster } from '@greenlight/test-kit/cluster';
import { runAction } from '@greenlight/test-kit/processes/run-action';
import { startGitHubStandIn, type GitHubStandIn } from '@greenlight/test-kit/stand-ins/github';
import {
  analyse,
  existingFunction,
  NS,
  promote,
  setStatus,
  setWeights,
  waitForRevision,
} from '@greenlight/test-kit/flagger/steps';
import { abortApplies, readAbort, type KubeClient } from '@greenlight/core';
import type { Canary } from 'flagger-types';

const REV = 'a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0';
const OLD = '0000000000000000000000000000000000000001';

let cluster: TestCluster;
let github: GitHubStandIn;
let kubeconfig: string;

beforeEach(async () => {
  cluster = await startTestCluster();
  github = await startGitHubStandIn();
  kubeconfig = cluster.api.kubeconfig();
  await existingFunction(cluster.kube, 'chatbot', OLD);
});
afterEach(async () => {
  await github.close();
  await cluster.close();
});

function deployInputs(extra: Record<string, string> = {}): Record<string, string> {
  return {
    command: 'deploy',
    'stack-file': 'stack.yml',
    functions: 'chatbot',
    builder: 'none',
    registry: 'ghcr.io/acme',
    kubeconfig,
    approval: 'true',
    interval: '10s',
    // The Flagger writes these tests play are SmiRouter's (test-kit's writeTrafficSplit).
    provider: 'linkerd',
    'github-token': 'ghs_test',
    'portal-url': 'https://backstage.example.com',
    timeout: '20s',
    ...extra,
  };
}

const env = () => ({ GITHUB_API_URL: github.url });

async function canary(kube: KubeClient): Promise<Canary | undefined> {
  return kube.get<Canary>({
    apiVersion: 'flagger.app/v1beta1',
    kind: 'Canary',
    namespace: NS,
    name: 'chatbot',
  });
}

test('deploys to awaiting-approval, and promote takes it to succeeded with GitHub Deployments that match GitHub API', async () => {
  const { api, kube } = cluster;
  const deploying = runAction({ inputs: deployInputs(), env: env() });
  await waitForRevision(kube, 'chatbot', REV);
  // The follow's watch of the Canary is open: it sees every step.
  await eventually(() => api.openWatches() >= 1, 15000);
  await analyse(api, kube, 'chatbot', [10, 20, 30, 40, 50]);
  await setStatus(api, 'chatbot', 'WaitingPromotion');
  const deployed = await deploying;

  expect(deployed.errors).toEqual([]);
  expect(deployed.code).toBe(0);
  expect(deployed.outputs.result).toBe('awaiting-approval');
  expect(deployed.outputs.revision).toBe(REV);
  expect(JSON.parse(deployed.outputs.images as string)).toEqual({
    chatbot: `ghcr.io/acme/chatbot:${REV}`,
  });
  expect(deployed.stdout).toMatch(/::group::Canary openfaas-fn\/chatbot/);
  expect(deployed.stdout).toMatch(/Progressing · green 30% \/ blue 70% · step 3\/5/);
  expect(deployed.stdout).toMatch(
    /WaitingPromotion · green 50% \/ blue 50% · step 5\/5 .*awaiting approval/,
  );
  expect(deployed.summary).toContain('awaiting-approval');
  const applied = await canary(kube);
  expect(applied?.spec.analysis?.webhooks?.map((w) => w.type)).toContain('confirm-promotion');

  const promoting = runAction({
    inputs: { command: 'promote', kubeconfig, 'github-token': 'ghs_test', timeout: '20s' },
    env: env(),
  });
  // The gate would now answer 200; Flagger promotes at its next check.
  await eventually(
    async () =>
      (await canary(kube))?.metadata.annotations?.['greenlight.dev/approved-revision'] === REV,
    15000,
  );
  await setStatus(api, 'chatbot', 'Promoting');
  await promote(api, kube, 'chatbot', REV);
  const promoted = await promoting;

  expect(promoted.errors).toEqual([]);
  expect(promoted.code).toBe(0);
  expect(promoted.outputs.result).toBe('succeeded');
  // Who the API server says (this stand-in runs without a token), the GitHub run beside it.
  expect((await canary(kube))?.metadata.annotations).toMatchObject({
    'greenlight.dev/approved-by': 'system:anonymous',
    'greenlight.dev/approved-note':
      'github:octocat https://github.com/acme/chatbots/actions/runs/42',
  });

  expect(github.problems()).toEqual([]);
  const statuses = github.requests.filter(
    (r) => r.operationId === 'repos/create-deployment-status',
  );
  expect(statuses.map((r) => r.body?.state)).toEqual(['in_progress', 'in_progress', 'success']);
  expect(statuses[0]?.body?.environment_url).toBe(
    'https://backstage.example.com/catalog/default/component/chatbot/greenlight',
  );
  const created = github.requests.find((r) => r.operationId === 'repos/create-deployment');
  expect(created?.body).toMatchObject({
    ref: REV,
    environment: 'production/chatbot',
    required_contexts: [],
  });
  // @octokit/auth-token's scheme for a non-JWT token.
  expect(created?.authorization).toBe('token ghs_test');
}, 40_000);

test('a failed analysis fails the step with the reason as an error annotation', async () => {
  const { api, kube } = cluster;
  const deploying = runAction({ inputs: deployInputs({ approval: 'false' }), env: env() });
  await waitForRevision(kube, 'chatbot', REV);
  await analyse(api, kube, 'chatbot', [10, 20]);
  await setStatus(api, 'chatbot', 'Progressing', { canaryWeight: 20, failedChecks: 5 });
  await setWeights(kube, 'chatbot', 0);
  await setStatus(api, 'chatbot', 'Failed', { failedChecks: 5 });
  const run = await deploying;

  expect(run.code).not.toBe(0);
  expect(run.outputs.result).toBe('failed');
  expect(run.errors.join('\n')).toMatch(
    /rolled back: canary analysis failed, Deployment scaled to zero/,
  );
  const canaries = JSON.parse(run.outputs.canaries as string) as {
    result: string;
    reason: string;
  }[];
  expect(canaries[0]).toMatchObject({ result: 'failed' });
  const statuses = github.requests.filter(
    (r) => r.operationId === 'repos/create-deployment-status',
  );
  expect(statuses.at(-1)?.body?.state).toBe('failure');
  expect(github.problems()).toEqual([]);
});

test('a Canary still Failed from an earlier rollout does not fail the new one', async () => {
  const { api, kube } = cluster;
  const first = runAction({
    inputs: deployInputs({ approval: 'false', 'wait-until': 'applied' }),
    env: env(),
  });
  expect((await first).code).toBe(0);
  await setStatus(api, 'chatbot', 'Failed', { lastTransitionTime: '2020-01-01T00:00:00Z' });
  const deploying = runAction({
    inputs: deployInputs({ approval: 'false', revision: 'fix1' }),
    env: env(),
  });
  await waitForRevision(kube, 'chatbot', 'fix1');
  await analyse(api, kube, 'chatbot', [10, 50]);
  await promote(api, kube, 'chatbot', 'fix1');
  const run = await deploying;
  expect(run.outputs.result).toBe('succeeded');
  expect(run.code).toBe(0);
});

test('a newer revision mid-rollout ends the step as superseded, with a notice and exit 0', async () => {
  const { api, kube } = cluster;
  const deploying = runAction({ inputs: deployInputs(), env: env() });
  await waitForRevision(kube, 'chatbot', REV);
  await analyse(api, kube, 'chatbot', [10]);
  // Another merge's deploy points the target at its revision.
  await kube.mergePatch(
    { apiVersion: 'apps/v1', kind: 'Deployment', namespace: NS, name: 'chatbot' },
    { spec: { template: { metadata: { annotations: { 'greenlight.dev/revision': 'newer' } } } } },
  );
  // Flagger notices the new pod template at its next check and restarts the analysis
  // (scheduler.go: "New revision detected! Restarting analysis").
  await setWeights(kube, 'chatbot', 0);
  await setStatus(api, 'chatbot', 'Progressing', { canaryWeight: 0 });
  const run = await deploying;
  expect(run.code).toBe(0);
  expect(run.outputs.result).toBe('superseded');
  expect(run.notices.join('\n')).toMatch(/superseded by revision newer/);
  const statuses = github.requests.filter(
    (r) => r.operationId === 'repos/create-deployment-status',
  );
  expect(statuses.at(-1)?.body?.state).toBe('inactive');
});

test('fail-on-superseded turns a superseded rollout into a failed step', async () => {
  const { api, kube } = cluster;
  const deploying = runAction({
    inputs: deployInputs({ 'fail-on-superseded': 'true' }),
    env: env(),
  });
  await waitForRevision(kube, 'chatbot', REV);
  await analyse(api, kube, 'chatbot', [10]);
  await kube.mergePatch(
    { apiVersion: 'apps/v1', kind: 'Deployment', namespace: NS, name: 'chatbot' },
    { spec: { template: { metadata: { annotations: { 'greenlight.dev/revision': 'newer' } } } } },
  );
  await setWeights(kube, 'chatbot', 0);
  await setStatus(api, 'chatbot', 'Progressing', { canaryWeight: 0 });
  const run = await deploying;
  expect(run.outputs.result).toBe('superseded');
  expect(run.code).toBe(1);
});

test('re-deploying an aborted revision writes no abort annotation: the deploy credential may not, and a run-bound abort does not reach the new run', async () => {
  const { kube } = cluster;
  await runAction({ inputs: deployInputs({ 'wait-until': 'applied' }), env: env() });
  const earlierRun = '2026-12-01T10:00:00Z';
  await kube.mergePatch(
    { apiVersion: 'flagger.app/v1beta1', kind: 'Canary', namespace: NS, name: 'chatbot' },
    {
      metadata: {
        annotations: {
          'greenlight.dev/abort-revision': REV,
          'greenlight.dev/abort-analysis': earlierRun,
          'greenlight.dev/abort-by': 'system:serviceaccount:greenlight:approve',
        },
      },
    },
  );
  const from = cluster.api.writes().length;
  const again = await runAction({ inputs: deployInputs({ 'wait-until': 'applied' }), env: env() });
  expect(again.code).toBe(0);
  expect(again.outputs.result).toBe('applied');
  const canaryWrites = cluster.api
    .writes()
    .slice(from)
    .filter((write) => write.path.includes('/canaries/') && write.method === 'PATCH');
  // Server-side apply owns only the fields Greenlight renders; the one other Canary write is the
  // promoted-history record (a merge patch of that annotation alone). Neither touches abort-*.
  const applies = canaryWrites.filter((w) => w.contentType === 'application/apply-patch+yaml');
  const others = canaryWrites.filter((w) => w.contentType !== 'application/apply-patch+yaml');
  expect(applies.length).toBeGreaterThan(0);
  expect(others.map((w) => w.contentType)).toEqual(
    others.length ? ['application/merge-patch+json'] : [],
  );
  expect(readAbort(await canary(kube))?.analysis).toBe(earlierRun);
  expect(
    abortApplies(readAbort(await canary(kube))!, REV, {
      checksum: 'c',
      startedAt: '2026-12-01T11:00:00Z',
    }),
  ).toBe(false);
});

test('the step times out with a failure when the canary does not get there in time', async () => {
  const run = await runAction({ inputs: deployInputs({ timeout: '2s' }), env: env() });
  expect(run.code).toBe(1);
  expect(run.outputs.result).toBe('timed-out');
});

test('without a usable token the action still deploys and says once that Deployments were skipped', async () => {
  await github.close();
  github = await startGitHubStandIn({ status: 403 });
  const run = await runAction({ inputs: deployInputs({ 'wait-until': 'applied' }), env: env() });
  expect(run.code).toBe(0);
  expect(run.outputs.result).toBe('applied');
  expect(run.warnings.filter((w) => w.includes('GitHub Deployments skipped'))).toHaveLength(1);
  expect(github.requests).toHaveLength(1);
});

test('a first deploy points the Deployment at the revision before the Canary exists; later deploys apply the Canary first', async () => {
  // Flagger copies the target's template to the primary the moment a new Canary appears;
  // a template changed after that would never reach the primary (Initialized records it).
  const { api } = cluster;
  const order = (from: number) =>
    api
      .writes()
      .slice(from)
      .map((w) => w.path)
      .filter((path) => /\/(deployments|canaries)\/chatbot$/.test(path))
      .map((path) => (path.includes('/canaries/') ? 'canary' : 'deployment'));

  const before = api.writes().length;
  const first = await runAction({ inputs: deployInputs({ 'wait-until': 'applied' }), env: env() });
  expect(first.code).toBe(0);
  expect(order(before)).toEqual(['deployment', 'canary']);

  const mark = api.writes().length;
  const again = await runAction({
    inputs: deployInputs({ 'wait-until': 'applied' }),
    env: { ...env(), GITHUB_SHA: OLD.replace(/1$/, '2') },
  });
  expect(again.code).toBe(0);
  // The promoted-history record (what the primary runs), the Canary, then the target.
  expect(order(mark)).toEqual(['canary', 'canary', 'deployment']);
});
