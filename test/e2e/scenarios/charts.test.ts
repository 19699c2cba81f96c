// The charts on the real API server: the greenlight-gate chart's objects are accepted and
// the gate runs under its ServiceAccount with only its RBAC (the harness installs it for
// every scenario); a function shipped with the chatbot chart alone — Service, Deployment,
// Canary — is initialized, analysed and rolled back by the real Flagger.
import type { KubernetesObject, V1Service } from '@kubernetes/client-node';
import { AuthenticationV1Api, AuthorizationV1Api, KubeConfig } from '@kubernetes/client-node';
import { render } from '../../../charts/test/render.ts';
import {
  startControlPlane,
  FUNCTIONS_NAMESPACE,
  type ControlPlane,
} from '../harness/control-plane.ts';
import { deploymentRevision } from '../harness/chatbot.ts';
import { RolloutWatch } from '../harness/rollout-watch.ts';
import { scenario as withReport } from '../harness/report.ts';

const NAME = 'slackbot';

let plane: ControlPlane;
let rollout: RolloutWatch;

beforeAll(async () => {
  plane = await startControlPlane({ meshProvider: 'linkerd' });
  rollout = await RolloutWatch.start(plane, NAME);
}, 180_000);

afterAll(async () => {
  rollout?.stop();
  await plane?.stop();
});

const scenario = (name: string, body: () => Promise<void>) =>
  withReport(name, () => ({ plane, rollout }), body);

/** `helm template` of the chatbot chart at `revision`, applied object by object. */
async function installChatbot(
  revision: string,
  podAnnotations: Record<string, string> = {},
): Promise<KubernetesObject[]> {
  const objects = await render(
    'chatbot',
    {
      name: NAME,
      image: { repository: `127.0.0.1:5000/${NAME}`, tag: revision },
      revision,
      podAnnotations,
      analysis: { interval: '10s', threshold: 2, stepWeight: 50, maxWeight: 50 },
      approval: { enabled: true, gateUrl: plane.gate.url },
    },
    { release: NAME, namespace: FUNCTIONS_NAMESPACE },
  );
  for (const object of objects)
    await plane.kube.apply({
      ...object,
      metadata: { namespace: FUNCTIONS_NAMESPACE, ...object.metadata },
    });
  return objects;
}

scenario(
  'the gate runs as the greenlight-gate chart’s ServiceAccount, which may read Canaries but not change them',
  async () => {
    const kc = new KubeConfig();
    kc.loadFromFile(plane.gate.kubeconfig);
    const review = await kc
      .makeApiClient(AuthenticationV1Api)
      .createSelfSubjectReview({ body: {} });
    expect(review.status?.userInfo?.username).toBe(plane.gateIdentity.username);

    const can = async (verb: string, group: string, resource: string) =>
      (
        await kc.makeApiClient(AuthorizationV1Api).createSelfSubjectAccessReview({
          body: {
            spec: { resourceAttributes: { namespace: FUNCTIONS_NAMESPACE, verb, group, resource } },
          },
        })
      ).status?.allowed;
    expect(await can('watch', 'flagger.app', 'canaries')).toBe(true);
    expect(await can('create', '', 'events')).toBe(true);
    // Approving is patching the Canary: only the action, the CLI or Backstage may.
    expect(await can('patch', 'flagger.app', 'canaries')).toBe(false);
    expect(await can('update', 'apps', 'deployments')).toBe(false);
    expect((await fetch(`${plane.gate.url}/readyz`)).ok).toBe(true);
  },
);

scenario(
  'a function installed by the chatbot chart initializes, and Flagger leaves the chart’s apex Service as rendered',
  async () => {
    const objects = await installChatbot('rev-1');
    await rollout.until('Initialized');

    expect(await deploymentRevision(plane.kube, `${NAME}-primary`)).toBe('rev-1');
    const rendered = objects.find((o) => o.kind === 'Service') as V1Service;
    const live = await plane.kube.get<V1Service>({
      apiVersion: 'v1',
      kind: 'Service',
      namespace: FUNCTIONS_NAMESPACE,
      name: NAME,
    });
    expect(live?.spec?.selector).toEqual(rendered.spec?.selector);
    expect(live?.spec?.ports).toEqual([expect.objectContaining(rendered.spec!.ports![0]!)]);
  },
);

scenario('the chart’s next revision answering 30 % errors is rolled back by Flagger', async () => {
  const from = rollout.phases.length;
  await installChatbot('rev-2', { 'sandbox.greenlight.dev/behaviour': 'success-rate=70' });
  await rollout.until(
    (phase) => phase === 'Failed' && rollout.since(from).includes('Progressing'),
    120_000,
  );

  expect(await deploymentRevision(plane.kube, `${NAME}-primary`)).toBe('rev-1');
  expect((await rollout.events()).join('\n')).toMatch(
    /Rolling back .*failed checks threshold reached 2/,
  );
});
