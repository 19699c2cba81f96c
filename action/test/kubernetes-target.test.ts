// The kubernetes target as the function's Deployment shows it: stack annotations follow
// stack.yml, as faas-netes keeps them, also when one is taken out.
import type { V1Deployment } from '@kubernetes/client-node';
import { startTestCluster, type TestCluster } from '@greenlight/test-kit/cluster';
import { runAction } from '@greenlight/test-kit/processes/run-action';
import { existingFunction, NS } from '@greenlight/test-kit/flagger/steps';

const SCALE_MIN = 'com.openfaas.scale.min';
let cluster: TestCluster;

beforeEach(async () => {
  cluster = await startTestCluster();
  await existingFunction(cluster.kube, 'chatbot', 'v1');
});
afterEach(() => cluster.close());

const deployOf = (stackFile: string, revision: string) =>
  runAction({
    inputs: {
      kubeconfig: cluster.api.kubeconfig(),
      builder: 'none',
      functions: 'chatbot',
      'stack-file': stackFile,
      revision,
      'wait-until': 'applied',
    },
  });

const annotations = async () =>
  (
    await cluster.kube.get<V1Deployment>({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: NS,
      name: 'chatbot',
    })
  )?.spec?.template.metadata?.annotations ?? {};

test('an annotation taken out of stack.yml leaves the pod template with the next deploy', async () => {
  expect((await deployOf('bad/stack.yml', 'v2')).errors).toEqual([]);
  expect(await annotations()).toMatchObject({
    [SCALE_MIN]: '1',
    'greenlight.dev/revision': 'v2',
  });

  expect((await deployOf('stack.yml', 'v3')).errors).toEqual([]);
  const after = await annotations();
  expect(after).not.toHaveProperty(SCALE_MIN);
  expect(after).not.toHaveProperty('greenlight.dev/stack-annotations');
  expect(after['greenlight.dev/revision']).toBe('v3');
});

test('annotations the stack never set stay on the pod template', async () => {
  await cluster.kube.mergePatch(
    { apiVersion: 'apps/v1', kind: 'Deployment', namespace: NS, name: 'chatbot' },
    { spec: { template: { metadata: { annotations: { 'linkerd.io/inject': 'enabled' } } } } },
  );
  expect((await deployOf('bad/stack.yml', 'v2')).errors).toEqual([]);
  expect((await deployOf('stack.yml', 'v3')).errors).toEqual([]);
  expect(await annotations()).toMatchObject({ 'linkerd.io/inject': 'enabled' });
});

const env = async () =>
  (
    await cluster.kube.get<V1Deployment>({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: NS,
      name: 'chatbot',
    })
  )?.spec?.template.spec?.containers[0]?.env ?? [];

test("the stack's environment reaches the container, and a variable taken out leaves it", async () => {
  await cluster.kube.mergePatch(
    { apiVersion: 'apps/v1', kind: 'Deployment', namespace: NS, name: 'chatbot' },
    {
      spec: {
        template: {
          spec: {
            containers: [{ name: 'chatbot', env: [{ name: 'SET_BY_HAND', value: 'kept' }] }],
          },
        },
      },
    },
  );
  expect((await deployOf('faulty/stack.yml', 'v2')).errors).toEqual([]);
  expect(await env()).toEqual([
    { name: 'SET_BY_HAND', value: 'kept' },
    { name: 'DEMO_FAULT', value: 'fail-questions' },
  ]);

  expect((await deployOf('stack.yml', 'v3')).errors).toEqual([]);
  expect(await env()).toEqual([{ name: 'SET_BY_HAND', value: 'kept' }]);
  expect(await annotations()).not.toHaveProperty('greenlight.dev/stack-environment');
});
