// A function added to stack.yml ships on its first merge: the action's bundle, against the
// sandbox (the API stand-in and its Flagger-behaving controller), creates the Deployment and
// Service faas-netes would make, and Flagger initializes the Canary from that Deployment.
import type { V1Deployment, V1Service } from '@kubernetes/client-node';
import { startSandbox, type Sandbox } from '@greenlight/sandbox';
import { FLAGGER_API_VERSION, type Canary } from 'flagger-types';
import { eventually } from '@greenlight/test-kit/cluster';
import { runAction } from '@greenlight/test-kit/processes/run-action';
import { NS } from '@greenlight/test-kit/flagger/steps';

let sandbox: Sandbox;
beforeEach(async () => {
  sandbox = await startSandbox({ speed: 50 });
});
afterEach(() => sandbox.close());

const get = <T>(apiVersion: string, kind: string, name: string) =>
  sandbox.kube.get<T & { metadata?: object }>({ apiVersion, kind, namespace: NS, name });

test('the first deploy of a function with no Deployment creates it and its Service, and the Canary initializes from it', async () => {
  const run = await runAction({
    inputs: {
      'stack-file': 'new/stack.yml',
      functions: 'faq',
      builder: 'none',
      kubeconfig: sandbox.api.kubeconfig(),
      revision: 'v1',
      'wait-until': 'applied',
    },
  });
  expect(run.errors).toEqual([]);
  expect(run.code).toBe(0);

  const deployment = await get<V1Deployment>('apps/v1', 'Deployment', 'faq');
  expect(deployment?.metadata?.labels).toEqual({ faas_function: 'faq' });
  expect(deployment?.spec?.selector.matchLabels).toEqual({ faas_function: 'faq' });
  const pod = deployment?.spec?.template;
  expect(pod?.metadata?.labels).toEqual({ faas_function: 'faq', team: 'bots' });
  expect(pod?.metadata?.annotations).toMatchObject({
    'greenlight.dev/revision': 'v1',
    'sandbox.greenlight.dev/behaviour': 'success-rate=99.9,p99=120',
  });
  const container = pod?.spec?.containers[0];
  // The image the deploy tags with the revision, not stack.yml's tag.
  expect(container?.image).toBe('registry.local/acme/faq:v1');
  expect(container?.env).toEqual([
    { name: 'BOT_COLOR', value: 'blue' },
    { name: 'fprocess', value: 'node index.js' },
  ]);
  expect(container?.readinessProbe?.httpGet).toEqual({ path: '/_/health', port: 8080 });
  expect(container?.volumeMounts).toEqual([
    { name: 'faq-projected-secrets', readOnly: true, mountPath: '/var/openfaas/secrets' },
  ]);
  expect(container?.resources).toEqual({ limits: { memory: '128Mi' } });

  const service = await get<V1Service>('v1', 'Service', 'faq');
  expect(service?.spec?.ports?.[0]).toMatchObject({ port: 8080, targetPort: 8080 });

  await eventually(async () => {
    const canary = await get<Canary>(FLAGGER_API_VERSION, 'Canary', 'faq');
    return canary?.status?.phase === 'Initialized';
  }, 15_000);
  const primary = await get<V1Deployment>('apps/v1', 'Deployment', 'faq-primary');
  expect(primary?.spec?.template.metadata?.annotations?.['greenlight.dev/revision']).toBe('v1');
}, 30_000);
