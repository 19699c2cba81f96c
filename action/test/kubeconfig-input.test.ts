// The kubeconfig input is a secret: masked before anything can print it, written only to
// the runner's temp folder and removed at the end. (Every input a user can get wrong, and
// the error that names it, is in test/reliability/bad-inputs/action-inputs.cases.ts.)
import { readdir } from 'node:fs/promises';
import { startTestCluster, type TestCluster } from '@greenlight/test-kit/cluster';
import { runAction } from '@greenlight/test-kit/processes/run-action';
import { existingFunction } from '@greenlight/test-kit/flagger/steps';

let cluster: TestCluster;

beforeAll(async () => {
  cluster = await startTestCluster();
  await existingFunction(cluster.kube, 'chatbot', 'v1');
  // A Canary for `status` to report on.
  await runAction({
    inputs: {
      builder: 'none',
      kubeconfig: cluster.api.kubeconfig(),
      'wait-until': 'applied',
      functions: 'chatbot',
      revision: 'v2',
    },
  });
});
afterAll(() => cluster.close());

const UNREACHABLE = `apiVersion: v1
kind: Config
clusters: [{ name: gone, cluster: { server: 'http://127.0.0.1:1' } }]
users: [{ name: u, user: { token: t } }]
contexts: [{ name: c, context: { cluster: gone, user: u } }]
current-context: c
`;

test('errors never print a secret: the kubeconfig input is masked before it is checked', async () => {
  const run = await runAction({ inputs: { kubeconfig: UNREACHABLE, builder: 'none' } });
  expect(run.stdout).toContain('::add-mask::');
  expect(run.errors.join('\n')).not.toContain('token: t');
});

test('a kubeconfig input is written 0600 to the runner temp folder and removed at the end', async () => {
  const run = await runAction({
    inputs: { builder: 'none', kubeconfig: cluster.api.kubeconfig(), command: 'status' },
  });
  expect(run.code).toBe(0);
  expect(await readdir(run.runnerTemp)).toEqual([]);
});
