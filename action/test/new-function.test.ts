// A function added to stack.yml ships on its first merge: the action's bundle, against the
// sandbox (the API stand-in and its Flagger-behaving controller), creates the Deployment and
// Service faas-netes would make, and Flagger initializes the Canary from that Deployment.
import type { KubernetesObject, V1Deployment, V1Service } from '@kubernetes/client-node';
import { startSandbox, type Sandbox } from '@greenlight/sandbox';
import { FLAGGER_API_VERSION, type Canary } from 'flagger-types';
import { eventually } from '@greenlight/test-kit/cluster';
import { runAction } from '@greenlight/test-kit/processes/run-action';
import { NS } from '@greenlight/test-kit/flagger/steps';

let sandbox: Sandbox;

const firstDeploy = () =>
  runAction({
    inputs: {
      'stack-file': 'new/stack.yml',
      functions: 'faq',
      builder: 'none',
      kubeconfig: sandbox.api.kubeconfig(),
      revision: 'v1',
      'wait-until': 'applied',
    },
  });
beforeEach(async () => {
  sandbox = await startSandbox({ speed: 50 });
});
afterEach(() => sandbox.close());

const get = <T>(apiVersion: string, kind: string, name: string) =>
  sandbox.kube.get<T & { metadata?: object }>({ apiVersion, kind, namespace: NS, name });

test('the first deploy of a function with no Deployment creates it and its Service, and the Canary initializes from it', async () => {
  const run = await firstDeploy();
  expect(run.errors).toEqual([]);
  expect(run.code).toBe(0);

  const deployment = await get<V1Deployment>('apps/v1', 'Deployment', 'faq');
  expect(deployment?.metadata?.labels).toEqual({ faas_function: 'faq' });
  expect(deployment?.spec?.selector.matchLabels).toEqual({ faas_function: 'faq' });
  const pod = deployment?.spec?.template;
  expect(pod?.metadata?.labels).toEqual({ faas_function: 'faq', team: 'bots' });
  expect(pod?.metadata?.annotations).toMatchObject({
    'greenlight.dev/revision': 'v1',
    'com.openfaas.scale.min': '1',
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

const planOf = (kubeconfig: string) =>
  runAction({
    inputs: { command: 'plan', 'stack-file': 'new/stack.yml', functions: 'faq', kubeconfig },
  });

test('plan says "new function" for a function with no Deployment yet, and writes nothing', async () => {
  const writesBefore = sandbox.api.writes().length;
  const run = await planOf(sandbox.api.kubeconfig());
  expect(run.code).toBe(0);
  expect(JSON.parse(run.outputs.plan as string)).toEqual([
    expect.objectContaining({ function: 'faq', newFunction: true }),
  ]);
  expect(run.summary).toContain('new function: Deployment and Service to create');
  expect(sandbox.api.writes().length).toBe(writesBefore);
});

/** `count` Deployments faas-netes CE counts: functions and their Flagger primaries. */
async function countedDeployments(count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const name = i % 2 === 0 ? `bot${i}` : `bot${i - 1}-primary`;
    await sandbox.kube.apply({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: NS, labels: { faas_function: name } },
      spec: {
        selector: { matchLabels: { faas_function: name } },
        template: {
          metadata: { labels: { faas_function: name } },
          spec: { containers: [{ name, image: 'registry.local/acme/bot:v1' }] },
        },
      },
    } as V1Deployment as KubernetesObject);
  }
}

test('plan warns of OpenFaaS CE’s limit, counting the two Deployments a new canaried function adds', async () => {
  await countedDeployments(11);
  const run = await planOf(sandbox.api.kubeconfig());
  expect(run.code).toBe(0);
  expect(run.warnings.join('\n')).toMatch(
    /OpenFaaS CE limit: 11 Deployments with a faas_function label in openfaas-fn \(13 with this change\) of the 15 CE allows, near the limit/,
  );
  expect(run.summary).toContain('OpenFaaS CE limit');
});

test('status warns above OpenFaaS CE’s limit and says nothing below 12', async () => {
  const status = () =>
    runAction({ inputs: { command: 'status', kubeconfig: sandbox.api.kubeconfig() } });
  expect((await firstDeploy()).code).toBe(0);
  await eventually(
    async () => (await get<V1Deployment>('apps/v1', 'Deployment', 'faq-primary')) !== undefined,
    15_000,
  );
  // faq and faq-primary, and nine more.
  await countedDeployments(9);
  expect((await status()).warnings.join('\n')).not.toContain('OpenFaaS CE');
  await countedDeployments(14);
  const above = await status();
  expect(above.errors).toEqual([]);
  expect(above.code).toBe(0);
  expect(above.warnings.join('\n')).toMatch(
    /16 Deployments .* above the limit.*disables every invocation when it next starts/,
  );
});
