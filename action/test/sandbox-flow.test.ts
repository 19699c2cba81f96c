// The action against the sandbox: the API stand-in with a Flagger-behaving controller, the
// real gate and the mesh's counts of the chatbot's replies, fifty times faster than a cluster (a 10 s
// analysis interval takes 200 ms). Nothing here writes Canary status by hand.
import {
  startActionSandbox,
  type ActionSandbox,
} from '@greenlight/test-kit/cluster/action-sandbox';
import { eventually } from '@greenlight/test-kit/cluster';
import { runAction } from '@greenlight/test-kit/processes/run-action';
import { NS } from '@greenlight/test-kit/flagger/steps';

// The chatbot faas-netes left, shipped once by Greenlight and initialised by Flagger.
let env: ActionSandbox;
beforeEach(async () => (env = await startActionSandbox(NS)));
afterEach(() => env.sandbox.close());

test('deploy waits for approval at max weight, promote approves through the real gate and ends succeeded', async () => {
  const approval = { approval: 'true', 'gate-url': env.sandbox.gateUrl };
  const deployed = await runAction({ inputs: env.inputs({ revision: 'v2', ...approval }) });
  expect(deployed.errors).toEqual([]);
  expect(deployed.outputs.result).toBe('awaiting-approval');
  // At 50× a step lasts 200 ms, so which steps a loaded machine shows varies; some do.
  expect(deployed.stdout).toMatch(/Progressing · green [1-5]0% \/ blue [5-9]0% · step [1-5]\/5/);
  expect(deployed.stdout).toMatch(/WaitingPromotion · green 50% \/ blue 50%/);

  const promoted = await runAction({
    inputs: { command: 'promote', kubeconfig: env.kubeconfig, timeout: '20s' },
  });
  expect(promoted.errors).toEqual([]);
  expect(promoted.code).toBe(0);
  expect(promoted.outputs.result).toBe('succeeded');
  expect(promoted.stdout).toMatch(/Succeeded · green 0% \/ blue 100%/);
}, 30_000);

test('a bad version is rolled back: the step fails with Flagger’s reason', async () => {
  const run = await runAction({
    inputs: env.inputs({ revision: 'v2-bad', 'stack-file': 'bad/stack.yml' }),
  });
  expect(run.code).not.toBe(0);
  expect(run.outputs.result).toBe('failed');
  expect(run.errors.join('\n')).toMatch(/Revision v2-bad of openfaas-fn\/chatbot was rolled back/);
  expect(run.summary).toContain('failed');
}, 30_000);

test('a second deploy mid-analysis supersedes the first, which ends with exit 0', async () => {
  const first = runAction({
    inputs: env.inputs({ revision: 'v2', 'step-weight': '5', 'max-weight': '50' }),
  });
  await eventually(async () => (await env.canary())?.status?.phase === 'Progressing', 10_000);
  const second = runAction({
    inputs: env.inputs({ revision: 'v3', 'step-weight': '5', 'max-weight': '50' }),
  });
  const [superseded, succeeded] = await Promise.all([first, second]);
  expect(superseded.code).toBe(0);
  expect(superseded.outputs.result).toBe('superseded');
  expect(superseded.notices.join('\n')).toMatch(/superseded by revision v3/);
  expect(succeeded.outputs.result).toBe('succeeded');
}, 30_000);
