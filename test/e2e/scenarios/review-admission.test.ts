// Review of issue 12: what the deploy credential of docs/getting-started.md can still do on
// the real kube-apiserver, with the gate chart's admission policies installed as the page
// installs them. The README says "the deploy job cannot approve its own rollout": it cannot
// write greenlight.dev/approved-*, yet its RBAC (patch on every Deployment of openfaas-fn)
// reaches the `<name>-primary` Deployment Flagger promotes to and serves traffic from, and
// nothing guards the Canary's greenlight.dev/owner (which Backstage trusts to name the one
// entity whose permissions approve it) or an approver's abort (which the README says wins).
// Plain API writes as the documented identities; no Flagger or gate process.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { KubernetesObject } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { renderCanary, resolveCanaryOptions } from '@greenlight/core';
import { startApiOnly, type ApiOnly } from '../harness/api-only.ts';
import { FUNCTIONS_NAMESPACE } from '../harness/control-plane.ts';
import { gateIdentity, GATE_NAMESPACE } from '../harness/gate.ts';
import {
  apiRequest,
  serviceAccountIdentity,
  type ApiAnswer,
  type Identity,
} from '../harness/identities.ts';
import { chatbotDeployment } from '@greenlight/test-kit/cluster';

const NAME = 'chatbot';
const CANARY_PATH = `/apis/flagger.app/v1beta1/namespaces/${FUNCTIONS_NAMESPACE}/canaries`;
const DEPLOYMENT_PATH = `/apis/apps/v1/namespaces/${FUNCTIONS_NAMESPACE}/deployments`;
const MERGE = 'application/merge-patch+json';
const OWNER = 'greenlight.dev/owner';

let api: ApiOnly;
let deploy: Identity;
let approve: Identity;

function documentedCredentials(): KubernetesObject[] {
  const page = readFileSync(
    fileURLToPath(new URL('../../../docs/getting-started.md', import.meta.url)),
    'utf8',
  );
  const block = /```yaml\n(# greenlight-credentials\.yaml\n[\s\S]*?)```/.exec(page)?.[1];
  if (!block)
    throw new Error('docs/getting-started.md has no "# greenlight-credentials.yaml" block');
  return parseAllDocuments(block).map((d) => d.toJS() as KubernetesObject);
}

const as = (who: Identity, method: string, path: string, body?: object, type = MERGE) =>
  apiRequest(api.apiserver.url, api.pki.caCert, who, method, path, body, type);
const said = (answer: ApiAnswer) => `${answer.status} ${answer.body.message ?? ''}`;

beforeAll(async () => {
  api = await startApiOnly();
  for (const name of [FUNCTIONS_NAMESPACE, GATE_NAMESPACE]) {
    await api.kube.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }
  for (const object of documentedCredentials()) await api.kube.apply(object);
  [deploy, approve] = await Promise.all([
    serviceAccountIdentity(api.kc, GATE_NAMESPACE, 'greenlight-deploy'),
    serviceAccountIdentity(api.kc, GATE_NAMESPACE, 'greenlight-approve'),
  ]);
  await gateIdentity(
    api.kube,
    api.kc,
    api.dir,
    api.apiserver.url,
    api.pki.caCert,
    FUNCTIONS_NAMESPACE,
    { admissionPolicy: { approvers: { usernames: [approve.username] } } },
  );
  // The deploy's Canary (owner: the chatbot's entity) and target; Flagger's primary at v1.
  const options = resolveCanaryOptions({
    namespace: FUNCTIONS_NAMESPACE,
    approval: true,
    owner: 'component:default/chatbot',
  });
  for (const object of renderCanary({ name: NAME }, options)) {
    await api.kube.apply(object as KubernetesObject);
  }
  await api.kube.apply(chatbotDeployment(NAME, FUNCTIONS_NAMESPACE, 'v2') as KubernetesObject);
  // Flagger creates the primary with a controller ownerReference to its Canary
  // (createPrimaryDeployment, pkg/canary/deployment_controller.go of Flagger v1.44), and the
  // keep-primary policy knows a primary by it. This fixture first had none, which no primary
  // Flagger made lacks (nor can the deploy take it off: e2e admission.test.ts), so it is
  // written here as Flagger writes it; the attack below is unchanged.
  const canary = await api.kube.get<KubernetesObject>({
    apiVersion: 'flagger.app/v1beta1',
    kind: 'Canary',
    namespace: FUNCTIONS_NAMESPACE,
    name: NAME,
  });
  const primary = chatbotDeployment(`${NAME}-primary`, FUNCTIONS_NAMESPACE, 'v1');
  primary.metadata!.ownerReferences = [
    {
      apiVersion: 'flagger.app/v1beta1',
      kind: 'Canary',
      name: NAME,
      uid: canary!.metadata!.uid!,
      controller: true,
      blockOwnerDeletion: true,
    },
  ];
  await api.kube.apply(primary as KubernetesObject);
  // Enforced once a deploy-identity approval is refused, and (each policy loads on its own)
  // a dry run of the attack on the primary too where the chart ships a policy for it.
  const guardsPrimary = (
    await api.kube.list({
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicy',
    })
  ).some((policy) => policy.metadata?.name === 'greenlight-gate-keep-primary');
  const deadline = Date.now() + 30_000;
  for (;;) {
    const probe = await as(deploy, 'PATCH', `${CANARY_PATH}/${NAME}?dryRun=All`, {
      metadata: { annotations: { 'greenlight.dev/approved-revision': 'probe' } },
    });
    const primaryProbe = await as(
      deploy,
      'PATCH',
      `${DEPLOYMENT_PATH}/${NAME}-primary?dryRun=All`,
      {
        spec: { template: { metadata: { annotations: { probe: 'yes' } } } },
      },
    );
    if (probe.status === 403 && (primaryProbe.status === 403 || !guardsPrimary)) break;
    if (Date.now() > deadline)
      throw new Error(`policy not enforced: ${said(probe)}; ${said(primaryProbe)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}, 180_000);

afterAll(async () => {
  await api?.stop();
});

test('the deploy credential cannot put an unapproved image on the primary Deployment that serves traffic', async () => {
  const answer = await as(deploy, 'PATCH', `${DEPLOYMENT_PATH}/${NAME}-primary`, {
    spec: {
      template: {
        spec: { containers: [{ name: NAME, image: 'registry.local/chatbot:mallory' }] },
      },
    },
  });
  expect(said(answer)).toMatch(/^403/);
});

test('the deploy credential cannot hand the Canary to another Backstage entity (greenlight.dev/owner)', async () => {
  const answer = await as(deploy, 'PATCH', `${CANARY_PATH}/${NAME}`, {
    metadata: { annotations: { [OWNER]: 'component:default/mallory-bot' } },
  });
  expect(said(answer)).toMatch(/^403/);
});

test('the deploy credential cannot withdraw an approver’s abort of the revision under analysis (abort wins)', async () => {
  const abort = {
    'greenlight.dev/abort-revision': 'v2',
    'greenlight.dev/abort-by': approve.username,
    'greenlight.dev/abort-at': '2026-12-01T10:00:00Z',
  };
  expect(
    said(
      await as(approve, 'PATCH', `${CANARY_PATH}/${NAME}`, { metadata: { annotations: abort } }),
    ),
  ).toMatch(/^200/);
  // v2 is still the target's revision: this abort is not stale, a person asked for it.
  const withdraw = await as(deploy, 'PATCH', `${CANARY_PATH}/${NAME}`, {
    metadata: {
      annotations: Object.fromEntries(Object.keys(abort).map((key) => [key, null])),
    },
  });
  expect(said(withdraw)).toMatch(/^403/);
});
