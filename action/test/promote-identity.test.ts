// The action's promote and abort as a runner runs them (the bundle, in a process) against the
// API stand-in, which authenticates the approve credential's token as its own user: the
// approver recorded is that Kubernetes identity, and the GitHub actor and run are the note.
// promote waits for Flagger's analysis of the revision before it approves.
import { KubeConfig, type KubernetesObject, type V1Deployment } from '@kubernetes/client-node';
import {
  ABORT_ANALYSIS,
  ABORT_BY,
  ABORT_NOTE,
  APPROVED_ANALYSIS,
  APPROVED_BY,
  APPROVED_NOTE,
  APPROVED_REVISION,
  APPROVED_TEMPLATE,
  approve,
  createKubeClient,
  templateHash,
  type KubeClient,
} from '@greenlight/core';
import { renderKubeconfig, startApiServer, type ApiServer } from '@greenlight/sandbox';
import type { Canary } from 'flagger-types';
import { chatbotDeployment, deployChatbot, eventually } from '@greenlight/test-kit/cluster';
import { writeCanaryStatus, writeTrafficSplit } from '@greenlight/test-kit/flagger';
import { runAction, type ActionRun } from '@greenlight/test-kit/processes/run-action';
import { NS } from '@greenlight/test-kit/flagger/steps';

const ADMIN = 'admin-token';
const APPROVER_TOKEN = 'approver-token';
const APPROVER = 'system:serviceaccount:greenlight:promote-job';
const REV = 'a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0';
const RUN = 'https://github.com/acme/chatbots/actions/runs/42';

let api: ApiServer;
let kube: KubeClient;
let approveKubeconfig: string;

beforeEach(async () => {
  api = await startApiServer({ token: ADMIN, users: { [APPROVER_TOKEN]: { username: APPROVER } } });
  const kc = new KubeConfig();
  kc.loadFromString(api.kubeconfig());
  kube = createKubeClient(kc);
  approveKubeconfig = renderKubeconfig(api.url, APPROVER_TOKEN);
  await deployChatbot(kube, { revision: REV });
  await writeTrafficSplit(kube, { namespace: NS, name: 'chatbot' }, 50);
});
afterEach(() => api.close());

const status = (phase: string, extra: Record<string, unknown> = {}) =>
  writeCanaryStatus(api.url, { namespace: NS, name: 'chatbot', token: ADMIN }, phase, extra);

async function canary(): Promise<Canary | undefined> {
  return kube.get<Canary>({
    apiVersion: 'flagger.app/v1beta1',
    kind: 'Canary',
    namespace: NS,
    name: 'chatbot',
  });
}

/** Flagger's promotion once the gate said yes: the primary gets the template, Succeeded. */
async function flaggerPromotes(): Promise<void> {
  await eventually(
    async () => (await canary())?.metadata.annotations?.[APPROVED_REVISION] === REV,
    15_000,
  );
  await kube.apply(chatbotDeployment('chatbot-primary', NS, REV) as KubernetesObject);
  await writeTrafficSplit(kube, { namespace: NS, name: 'chatbot' }, 0);
  await status('Succeeded');
}

function promote(extra: Record<string, string> = {}): Promise<ActionRun> {
  return runAction({
    inputs: { command: 'promote', kubeconfig: approveKubeconfig, timeout: '20s', ...extra },
  });
}

test('promote records the Kubernetes identity as approved-by and github:<actor> <run url> as the note, and says so', async () => {
  await status('WaitingPromotion');
  const [run] = await Promise.all([promote(), flaggerPromotes()]);
  expect(run.errors).toEqual([]);
  expect(run.code).toBe(0);
  expect(run.outputs.result).toBe('succeeded');
  const annotations = (await canary())?.metadata.annotations ?? {};
  expect(annotations[APPROVED_BY]).toBe(APPROVER);
  expect(annotations[APPROVED_NOTE]).toBe(`github:octocat ${RUN}`);
  // ...and binds it to the pod template the target held: Flagger's Promote copies that one.
  const target = await kube.get<V1Deployment>({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    namespace: NS,
    name: 'chatbot',
  });
  expect(annotations[APPROVED_TEMPLATE]).toBe(templateHash(target));
  const line = `chatbot: approved revision ${REV} by ${APPROVER} (github:octocat ${RUN})`;
  expect(run.stdout).toContain(line);
  expect(run.summary).toContain(
    `${NS}/chatbot: revision ${REV} approved by ${APPROVER} (github:octocat ${RUN})`,
  );
}, 40_000);

test("the run's GITHUB_ACTOR lands only in the note; approved-by stays the Kubernetes identity", async () => {
  await status('WaitingPromotion');
  const [run] = await Promise.all([
    runAction({
      inputs: { command: 'promote', kubeconfig: approveKubeconfig, timeout: '20s' },
      env: { GITHUB_ACTOR: 'mallory', GITHUB_RUN_ID: '7' },
    }),
    flaggerPromotes(),
  ]);
  expect(run.code).toBe(0);
  const annotations = (await canary())?.metadata.annotations ?? {};
  expect(annotations[APPROVED_BY]).toBe(APPROVER);
  expect(annotations[APPROVED_NOTE]).toBe(
    'github:mallory https://github.com/acme/chatbots/actions/runs/7',
  );
}, 40_000);

test('abort records the Kubernetes identity as abort-by and the GitHub run as the note, for the run under way', async () => {
  await status('Progressing', { canaryWeight: 20 });
  const started = (await canary())?.status?.conditions?.find((c) => c.type === 'Promoted');
  const aborting = runAction({
    inputs: { command: 'abort', kubeconfig: approveKubeconfig, timeout: '20s' },
  });
  await eventually(
    async () => (await canary())?.metadata.annotations?.[ABORT_BY] === APPROVER,
    15_000,
  );
  await writeTrafficSplit(kube, { namespace: NS, name: 'chatbot' }, 0);
  await status('Failed', { failedChecks: 0 });
  const run = await aborting;
  expect(run.outputs.result).toBe('rolled-back');
  expect((await canary())?.metadata.annotations?.[ABORT_NOTE]).toBe(`github:octocat ${RUN}`);
  expect((await canary())?.metadata.annotations?.[ABORT_ANALYSIS]).toBe(
    started?.lastTransitionTime,
  );
  expect(run.stdout).toContain(
    `chatbot: abort requested for revision ${REV} by ${APPROVER} (github:octocat ${RUN})`,
  );
}, 40_000);

test('promote waits until Flagger analyses the revision, then approves that analysis', async () => {
  // The deploy just changed the Deployment; Flagger's last word is still the earlier rollout.
  await status('Succeeded');
  const lines: string[] = [];
  const running = runAction({
    inputs: { command: 'promote', kubeconfig: approveKubeconfig, timeout: '20s' },
    onLine: (line) => lines.push(line),
  });
  await eventually(
    () => lines.some((line) => line.includes('Flagger is not analysing revision')),
    15_000,
  );
  // Nothing approved while Flagger runs no analysis.
  expect((await canary())?.metadata.annotations?.[APPROVED_REVISION]).toBeUndefined();
  await status('Progressing', { canaryWeight: 10 });
  const started = (await canary())?.status?.conditions?.find((c) => c.type === 'Promoted');
  const [run] = await Promise.all([running, flaggerPromotes()]);
  expect(run.errors).toEqual([]);
  expect(run.code).toBe(0);
  expect(run.stdout).toContain(
    `chatbot: Flagger is not analysing revision ${REV} yet (phase Succeeded); waiting for its analysis to start before approving`,
  );
  expect(run.outputs.result).toBe('succeeded');
  expect((await canary())?.metadata.annotations?.[APPROVED_ANALYSIS]).toBe(
    started?.lastTransitionTime,
  );
}, 40_000);

test('promote fails at its timeout when Flagger never analyses the revision, approving nothing', async () => {
  await status('Succeeded');
  const run = await promote({ timeout: '2s' });
  expect(run.code).toBe(1);
  expect(run.errors.join('\n')).toMatch(
    new RegExp(
      `^timeout: Flagger did not start analysing revision ${REV} of Canary ${NS}/chatbot \\(phase Succeeded\\) before the timeout, so there is no analysis to approve; nothing was approved`,
    ),
  );
  expect((await canary())?.metadata.annotations?.[APPROVED_REVISION]).toBeUndefined();
}, 40_000);

test('the log says an approval of the revision was used by an earlier analysis, not that it is approved', async () => {
  await status('WaitingPromotion');
  await approve(kube, { namespace: NS, name: 'chatbot' }, { note: 'github:octocat' });
  const promoted = (await canary())?.status?.conditions?.find((c) => c.type === 'Promoted');
  // A new analysis of the same revision (a re-run deploy): the Promoted condition's new start.
  const later = new Date(Date.parse(promoted?.lastTransitionTime ?? '') + 60_000);
  await status('Progressing', {
    canaryWeight: 10,
    conditions: [
      {
        ...promoted,
        reason: 'Progressing',
        lastTransitionTime: later.toISOString().replace(/\.\d+Z$/, 'Z'),
      },
    ],
  });
  const run = await runAction({ inputs: { command: 'status', kubeconfig: approveKubeconfig } });
  expect(run.code).toBe(0);
  expect(run.stdout).toContain(
    'approval by sandbox-admin (github:octocat) used: promoted or rolled back an earlier analysis',
  );
  expect(run.stdout).not.toContain('approved by');
}, 40_000);
