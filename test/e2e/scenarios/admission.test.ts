// Who may approve, enforced by the real kube-apiserver: the greenlight-gate chart's
// ValidatingAdmissionPolicy, installed as the chart renders it, judges plain API writes by
// the identities docs/getting-started.md creates (its RBAC applied as written there). The
// deploy identity may patch the Canary — RBAC allows it — yet cannot approve, abort, or
// sign as someone else; the approver can approve only under its own name; removing an
// approval or an abort is the approver's too (it used to be open: the deploy could withdraw
// an abort and let a standing approval promote); greenlight.dev/owner, once set, is the
// approver's to change. The keep-primary policy: the deploy cannot put another pod template
// on (or take the guard off) the <name>-primary Deployment Flagger promotes to, while
// Flagger's own promotion, scaling and the garbage collector's delete pass. The keep-gate policy: the deploy cannot take the
// gate out of a Canary wired to it (webhook removed or repointed, skipAnalysis, another
// target, delete), yet re-applies it. The require-gate policy: in a namespace labelled
// greenlight.dev/approval=required the deploy cannot create (or change) a Canary that does
// not ask the gate — a second one for the same target, or one with skipAnalysis — while an
// approver may, and an unlabelled namespace is the deploy's own. No Flagger or gate process:
// only admission counts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CoreV1Api,
  KubeConfig,
  type KubernetesObject,
  type V1Deployment,
} from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import {
  clearAbortPatch,
  createKubeClient,
  readCeLimitWarning,
  renderCanary,
  renderFunctionObjects,
  REVISION_ANNOTATION,
  resolveCanaryOptions,
  type KubeClient,
} from '@greenlight/core';
import { startApiOnly, type ApiOnly } from '../harness/api-only.ts';
import { FUNCTIONS_NAMESPACE } from '../harness/control-plane.ts';
import { APPROVAL_LABEL, FLAGGER_USERNAME, gateIdentity, GATE_NAMESPACE } from '../harness/gate.ts';
import {
  apiRequest,
  kubeconfigIdentity,
  serviceAccountIdentity,
  type ApiAnswer,
  type Identity,
} from '../harness/identities.ts';
import { writeKubeconfig } from '../harness/kubeconfig.ts';
import { chatbotDeployment } from '@greenlight/test-kit/cluster';

const NAME = 'chatbot';
const POLICY = 'greenlight-gate-approvers';
const CANARY_PATH = `/apis/flagger.app/v1beta1/namespaces/${FUNCTIONS_NAMESPACE}/canaries`;
const MERGE = 'application/merge-patch+json';
/** A namespace the platform did not label: the deploy has its RBAC there too. */
const OPEN_NAMESPACE = 'openfaas-fn-unlabelled';
const REQUIRE_GATE = 'greenlight-gate-require-gate';
const KEEP_PRIMARY = 'greenlight-gate-keep-primary';
const DEPLOYMENT_PATH = `/apis/apps/v1/namespaces/${FUNCTIONS_NAMESPACE}/deployments`;
const PRIMARY = `${NAME}-primary`;

let api: ApiOnly;
let deploy: Identity;
let approve: Identity;
/** The harness's Flagger (user `flagger`), listed in the chart's admissionPolicy.flagger. */
let flagger: Identity;
/** cluster-admin (system:masters), neither Flagger nor an approver here. */
let admin: Identity;
let deployKube: KubeClient;
const started = Date.now();

/** The credentials block of docs/getting-started.md, as a cluster admin would apply it. */
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
const patchCanary = (who: Identity, annotations: Record<string, string | null>, dryRun = false) =>
  as(who, 'PATCH', `${CANARY_PATH}/${NAME}${dryRun ? '?dryRun=All' : ''}`, {
    metadata: { annotations },
  });
const annotations = async () =>
  (await as(approve, 'GET', `${CANARY_PATH}/${NAME}`)).body.metadata?.annotations ?? {};
const said = (answer: ApiAnswer) => `${answer.status} ${answer.body.message ?? ''}`;

/** The Canary as the action renders it, with approval on. */
function canary(extraAnnotations: Record<string, string> = {}): KubernetesObject {
  const options = resolveCanaryOptions({ namespace: FUNCTIONS_NAMESPACE, approval: true });
  const [object] = renderCanary({ name: NAME }, options) as KubernetesObject[];
  return {
    ...object,
    metadata: {
      ...object?.metadata,
      annotations: { ...object?.metadata?.annotations, ...extraAnnotations },
    },
  } as KubernetesObject;
}

/** A Canary as the action renders it with approval off: no webhook to the gate. */
function ungatedCanary(name: string, namespace = FUNCTIONS_NAMESPACE): KubernetesObject {
  const options = resolveCanaryOptions({ namespace, approval: false });
  const [object] = renderCanary({ name: NAME }, options) as KubernetesObject[];
  return { ...object, metadata: { ...object?.metadata, name } } as KubernetesObject;
}

/** The policies are enforced a moment after they are created: wait until dry runs are refused. */
async function untilEnforced(timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const probe = await patchCanary(deploy, { 'greenlight.dev/approved-revision': 'probe' }, true);
    const keep = await as(deploy, 'PATCH', `${CANARY_PATH}/${NAME}?dryRun=All`, {
      spec: { skipAnalysis: true },
    });
    // The namespace's label reaches the policy's namespace selector through an informer.
    const ungated = await as(
      deploy,
      'POST',
      `${CANARY_PATH}?dryRun=All`,
      ungatedCanary('probe'),
      'application/json',
    );
    const primary = await as(deploy, 'PATCH', `${DEPLOYMENT_PATH}/${PRIMARY}?dryRun=All`, {
      spec: { template: { metadata: { annotations: { probe: 'yes' } } } },
    });
    if ([probe, keep, ungated, primary].every((answer) => answer.status === 403)) return;
    if (Date.now() > deadline)
      throw new Error(
        `the admission policies were not enforced after ${timeoutMs} ms: ${said(probe)}; ${said(keep)}; ${said(ungated)}; ${said(primary)}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** A second primary owned by the Canary, deleted last, in the namespace being deleted. */
const SPARE_PRIMARY = 'spare-primary';

/** Creates `name` as Flagger creates a primary: a copy of the target, controlled by the Canary. */
async function createPrimary(name: string): Promise<void> {
  const { metadata } = (await as(approve, 'GET', `${CANARY_PATH}/${NAME}`)).body as {
    metadata: { uid: string };
  };
  const primary = chatbotDeployment(name, FUNCTIONS_NAMESPACE, 'rev-1');
  primary.metadata!.ownerReferences = [
    {
      apiVersion: 'flagger.app/v1beta1',
      kind: 'Canary',
      name: NAME,
      uid: metadata.uid,
      controller: true,
      blockOwnerDeletion: true,
    },
  ];
  const created = await as(flagger, 'POST', DEPLOYMENT_PATH, primary, 'application/json');
  if (created.status !== 201) throw new Error(`Flagger could not create ${name}: ${said(created)}`);
}

beforeAll(async () => {
  api = await startApiOnly();
  await api.kube.apply({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: FUNCTIONS_NAMESPACE },
  });
  await api.kube.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: GATE_NAMESPACE } });
  await api.kube.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: OPEN_NAMESPACE } });
  for (const object of documentedCredentials()) {
    await api.kube.apply(object);
    // The deploy's Role and RoleBinding again in the unlabelled namespace.
    if (object.metadata?.name === 'greenlight-deploy' && object.kind !== 'ServiceAccount')
      await api.kube.apply({
        ...object,
        metadata: { ...object.metadata, namespace: OPEN_NAMESPACE },
      });
  }
  [deploy, approve] = await Promise.all([
    serviceAccountIdentity(api.kc, GATE_NAMESPACE, 'greenlight-deploy'),
    serviceAccountIdentity(api.kc, GATE_NAMESPACE, 'greenlight-approve'),
  ]);
  // The gate chart as getting-started installs it (every namespace), the approve identity its
  // one approver; the harness labels openfaas-fn greenlight.dev/approval=required.
  await gateIdentity(
    api.kube,
    api.kc,
    api.dir,
    api.apiserver.url,
    api.pki.caCert,
    FUNCTIONS_NAMESPACE,
    { watchNamespace: '', admissionPolicy: { approvers: { usernames: [approve.username] } } },
  );
  const kc = new KubeConfig();
  kc.loadFromFile(
    writeKubeconfig(
      join(api.dir, 'deploy.kubeconfig'),
      api.apiserver.url,
      api.pki.caCert,
      'greenlight-deploy',
      deploy.token,
    ),
  );
  deployKube = createKubeClient(kc);
  flagger = kubeconfigIdentity(api.apiserver.flaggerKubeconfig, FLAGGER_USERNAME);
  admin = kubeconfigIdentity(api.apiserver.adminKubeconfig, 'e2e-admin');
  // The first deploy creates the Canary, as the deploy identity, and its target; Flagger
  // copies the target to the primary, owned by the Canary, as createPrimaryDeployment does.
  await deployKube.apply(canary());
  await api.kube.apply(chatbotDeployment(NAME, FUNCTIONS_NAMESPACE, 'rev-1') as KubernetesObject);
  for (const name of [PRIMARY, SPARE_PRIMARY]) await createPrimary(name);
  await untilEnforced();
  console.log(
    `admission.test: control plane, chart and credentials ready in ${Date.now() - started} ms`,
  );
}, 180_000);

afterAll(async () => {
  await api?.stop();
  console.log(`admission.test: ${Date.now() - started} ms in all`);
});

/** A test whose failure carries the API server's log tail. */
function scenario(name: string, body: () => Promise<void>): void {
  test(name, async () => {
    try {
      await body();
    } catch (error) {
      throw new Error(`${(error as Error).message}\n\n${api.report()}`, { cause: error });
    }
  });
}

// The policy's type-check status is written by kube-controller-manager, which this tier does
// not run; a rule that failed to evaluate would refuse every write (failurePolicy Fail), so
// an admitted create here, and a create refused with the rule's own message below, show the
// rules evaluate where there is no old object.
scenario(
  'the rules evaluate on create, where there is no old object: a Canary without approvals is admitted',
  async () => {
    const plain = canary();
    const created = await as(
      deploy,
      'POST',
      CANARY_PATH,
      { ...plain, metadata: { ...plain.metadata, name: 'plain' } },
      'application/json',
    );
    expect(said(created)).toMatch(/^201/);
  },
);

scenario(
  'the deploy identity may patch the Canary, yet adding an approval is refused naming the policy and the approvers',
  async () => {
    // RBAC lets it patch (it must, to deploy); only the policy stands between it and approving.
    const relabel = await patchCanary(deploy, { 'example.com/touched': 'yes' });
    expect(said(relabel)).toMatch(/^200/);

    const answer = await patchCanary(deploy, { 'greenlight.dev/approved-revision': 'rev-2' });
    console.log(`admission.test: the deploy identity approving: ${said(answer)}`);
    expect(answer.status).toBe(403);
    expect(answer.body.message).toContain(`ValidatingAdmissionPolicy '${POLICY}'`);
    expect(answer.body.message).toContain(`only its approvers (users ${approve.username})`);
    expect(answer.body.message).toContain(`not ${deploy.username}`);
    expect(answer.body.message).toContain('greenlight.dev/approved-revision');
    expect(await annotations()).not.toHaveProperty(['greenlight.dev/approved-revision']);
  },
);

scenario(
  'the deploy identity cannot sign an approval or an abort with the approver’s name',
  async () => {
    const marks: Record<string, string>[] = [
      {
        'greenlight.dev/approved-revision': 'rev-2',
        'greenlight.dev/approved-by': approve.username,
      },
      { 'greenlight.dev/abort-revision': 'rev-2', 'greenlight.dev/abort-by': approve.username },
    ];
    for (const mark of marks) {
      const answer = await patchCanary(deploy, mark);
      expect(said(answer)).toMatch(/^403 .*only its approvers/);
    }
    expect(
      Object.keys(await annotations()).filter((k) => /^greenlight\.dev\/(approved|abort)-/.test(k)),
    ).toEqual([]);
  },
);

scenario(
  'nobody but an approver can create a Canary that already carries an approval',
  async () => {
    const other = canary({
      'greenlight.dev/approved-revision': 'rev-1',
      'greenlight.dev/approved-by': deploy.username,
    });
    const answer = await as(
      deploy,
      'POST',
      CANARY_PATH,
      { ...other, metadata: { ...other.metadata, name: 'sneaky' } },
      'application/json',
    );
    expect(said(answer)).toMatch(
      new RegExp(`^403 .*ValidatingAdmissionPolicy '${POLICY}'.*only its approvers`),
    );
  },
);

scenario('the approver writing someone else’s name in approved-by is refused', async () => {
  const answer = await patchCanary(approve, {
    'greenlight.dev/approved-revision': 'rev-2',
    'greenlight.dev/approved-by': 'someone-else',
  });
  expect(answer.status).toBe(403);
  expect(answer.body.message).toContain(`ValidatingAdmissionPolicy '${POLICY}'`);
  expect(answer.body.message).toContain(
    `greenlight.dev/approved-by must be ${approve.username} (the username the API server authenticated), not someone-else`,
  );
  // Leaving approved-by out does not help: an approval written must be signed.
  const unsigned = await patchCanary(approve, { 'greenlight.dev/approved-revision': 'rev-2' });
  expect(said(unsigned)).toMatch(/^403 .*not nothing/);
  expect(await annotations()).not.toHaveProperty(['greenlight.dev/approved-revision']);
});

scenario(
  'the approver writing its own name is admitted, and the deploy cannot change it after',
  async () => {
    const approval = {
      'greenlight.dev/approved-revision': 'rev-2',
      'greenlight.dev/approved-by': approve.username,
      'greenlight.dev/approved-note': 'github:alice https://github.com/acme/bots/actions/runs/1',
      'greenlight.dev/approved-at': '2026-01-01T00:00:00Z',
    };
    expect(said(await patchCanary(approve, approval))).toMatch(/^200/);
    expect(await annotations()).toMatchObject(approval);

    // Re-signing the standing approval for another revision is an approval too.
    const moved = await patchCanary(deploy, { 'greenlight.dev/approved-revision': 'rev-3' });
    expect(said(moved)).toMatch(/^403 .*approved-revision/);
    // The deploy re-applying its Canary leaves the approval as it is, so it is admitted.
    await deployKube.apply(canary());
    expect(await annotations()).toMatchObject(approval);
  },
);

// Was "the deploy identity removing an abort is admitted, as a re-deploy needs": an abort now
// binds to its run (commit b9e57e2), so the deploy never clears one, and letting it would let
// it withdraw an approver's abort while a standing approval promotes (abort wins, broken).
scenario(
  'the deploy identity removing an abort or an approval is refused naming what it removed; the approver may remove them',
  async () => {
    const abort = {
      'greenlight.dev/abort-revision': 'rev-2',
      'greenlight.dev/abort-by': approve.username,
      'greenlight.dev/abort-at': '2026-01-01T00:05:00Z',
    };
    expect(said(await patchCanary(approve, abort))).toMatch(/^200/);
    const before = await annotations();
    expect(before).toMatchObject(abort);
    // The approval the case above admitted stands beside it.
    expect(before).toHaveProperty(['greenlight.dev/approved-revision'], 'rev-2');

    // What the action's deploy used to send to clear a stale abort (core clearAbortPatch).
    const cleared = await as(deploy, 'PATCH', `${CANARY_PATH}/${NAME}`, clearAbortPatch());
    console.log(`admission.test: the deploy identity removing an abort: ${said(cleared)}`);
    expect(cleared.status).toBe(403);
    expect(said(cleared)).toContain(`ValidatingAdmissionPolicy '${POLICY}'`);
    expect(said(cleared)).toContain('may add, change or remove greenlight.dev/approved-*');
    expect(said(cleared)).toContain(`not ${deploy.username} (it removed greenlight.dev/abort-`);
    const stripped = await patchCanary(deploy, { 'greenlight.dev/approved-by': null });
    expect(said(stripped)).toMatch(/^403 .*it removed greenlight\.dev\/approved-by/);
    expect(await annotations()).toEqual(before);

    // The approver withdraws both (its own undo).
    const marks = Object.keys(before).filter((k) => /^greenlight\.dev\/(approved|abort)-/.test(k));
    expect(
      said(await patchCanary(approve, Object.fromEntries(marks.map((key) => [key, null])))),
    ).toMatch(/^200/);
    // (An array path: a key with dots is no nested path.)
    for (const key of marks) expect(await annotations()).not.toHaveProperty([key]);
  },
);

const OWNER = 'greenlight.dev/owner';

scenario(
  'greenlight.dev/owner: the deploy sets it on create or where it is absent, yet cannot change or remove it; the approver may',
  async () => {
    const owned = canary({ [OWNER]: 'component:default/chatbot' });
    const created = await as(
      deploy,
      'POST',
      CANARY_PATH,
      { ...owned, metadata: { ...owned.metadata, name: 'owned' } },
      'application/json',
    );
    expect(said(created)).toMatch(/^201/);
    expect(said(await patchCanary(deploy, { [OWNER]: 'component:default/chatbot' }))).toMatch(
      /^200/,
    );

    const moved = await patchCanary(deploy, { [OWNER]: 'component:default/mallory-bot' });
    console.log(`admission.test: the deploy identity moving the owner: ${said(moved)}`);
    expect(moved.status).toBe(403);
    expect(said(moved)).toContain(`ValidatingAdmissionPolicy '${POLICY}'`);
    expect(said(moved)).toContain(
      `may change or remove greenlight.dev/owner on a Canary once it is set, not ${deploy.username}`,
    );
    expect(said(moved)).toContain(
      `is owned by component:default/chatbot, the write names component:default/mallory-bot`,
    );
    const removed = await patchCanary(deploy, { [OWNER]: null });
    expect(said(removed)).toMatch(/^403 .*the write removes it/);
    expect(await annotations()).toHaveProperty([OWNER], 'component:default/chatbot');

    // The deploy's re-apply (which does not name an owner) leaves it as it is.
    await deployKube.apply(canary());
    expect(said(await patchCanary(approve, { [OWNER]: 'component:default/chatbot-v2' }))).toMatch(
      /^200/,
    );
    expect(said(await patchCanary(approve, { [OWNER]: null }))).toMatch(/^200/);
  },
);

// The keep-primary policy: Flagger promotes by copying the target into <name>-primary, and
// never re-syncs an existing primary, so whatever is written there serves traffic.
const primaryPath = (name = PRIMARY) => `${DEPLOYMENT_PATH}/${name}`;
const primaryObject = async (name = PRIMARY) =>
  (await as(admin, 'GET', primaryPath(name))).body as unknown as KubernetesObject & {
    metadata: { ownerReferences: { uid: string; controller?: boolean }[] };
    spec: { replicas: number; template: { spec: { containers: { image: string }[] } } };
  };
const imageOf = async (name = PRIMARY) =>
  (await primaryObject(name)).spec.template.spec.containers[0]?.image;
const withImage = (image: string) => ({
  spec: { template: { spec: { containers: [{ name: NAME, image }] } } },
});

/** Cluster-wide RBAC on Deployments for a ServiceAccount, beyond what getting-started grants. */
async function grantDeployments(verbs: string[], namespace: string, name: string) {
  const role = `e2e-deployments-${namespace}-${name}`;
  await api.kube.apply({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: role },
    rules: [{ apiGroups: ['apps'], resources: ['deployments'], verbs }],
  });
  await api.kube.apply({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: role },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
    subjects: [{ kind: 'ServiceAccount', namespace, name }],
  });
}

scenario(
  'the deploy identity cannot put another pod template on the primary Deployment a Canary controls, nor can a cluster-admin; the target stays the deploy’s',
  async () => {
    const refused = await as(deploy, 'PATCH', primaryPath(), withImage('registry.local/x:evil'));
    console.log(
      `admission.test: the deploy identity swapping the primary's image: ${said(refused)}`,
    );
    expect(refused.status).toBe(403);
    expect(said(refused)).toContain(`ValidatingAdmissionPolicy '${KEEP_PRIMARY}'`);
    expect(said(refused)).toContain(
      `only Flagger (${FLAGGER_USERNAME}) and its approvers (users ${approve.username}) may change spec.template of Deployment ${FUNCTIONS_NAMESPACE}/${PRIMARY}, the primary of Canary ${FUNCTIONS_NAMESPACE}/${NAME}, not ${deploy.username}`,
    );
    // A restart annotation is a new pod template too; cluster-admin is no exception.
    const restart = {
      spec: {
        template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': 'now' } } },
      },
    };
    expect(said(await as(deploy, 'PATCH', primaryPath(), restart))).toMatch(/^403 /);
    expect(said(await as(admin, 'PATCH', primaryPath(), restart))).toMatch(
      new RegExp(`^403 .*${KEEP_PRIMARY}.*not e2e-admin`),
    );
    expect(await imageOf()).toBe(`registry.local/${PRIMARY}:rev-1`);

    // The deploy's own job: a new image on the target, which Flagger then analyses.
    expect(
      said(
        await as(deploy, 'PATCH', `${DEPLOYMENT_PATH}/${NAME}`, withImage('registry.local/x:2')),
      ),
    ).toMatch(/^200/);
  },
);

scenario(
  'the primary may still be scaled and labelled, through the Deployment or its scale subresource',
  async () => {
    expect(said(await as(deploy, 'PATCH', primaryPath(), { spec: { replicas: 2 } }))).toMatch(
      /^200/,
    );
    expect(
      said(
        await as(deploy, 'PATCH', primaryPath(), {
          metadata: { labels: { 'example.com/team': 'bots' }, annotations: { note: 'x' } },
        }),
      ),
    ).toMatch(/^200/);
    // As an HPA scales it (the deploy has no RBAC on deployments/scale; cluster-admin has).
    const scaled = await as(admin, 'PATCH', `${primaryPath()}/scale`, { spec: { replicas: 3 } });
    expect(said(scaled)).toMatch(/^200/);
    expect((await primaryObject()).spec.replicas).toBe(3);
  },
);

scenario(
  'the deploy identity cannot take the primary’s ownerReference to its Canary off, point it elsewhere or make it no controller',
  async () => {
    const before = await primaryObject();
    const [reference] = before.metadata.ownerReferences;
    const attempts: [string, object][] = [
      ['removed', { metadata: { ownerReferences: null } }],
      [
        'another uid',
        {
          metadata: {
            ownerReferences: [{ ...reference, uid: '00000000-0000-0000-0000-000000000000' }],
          },
        },
      ],
      [
        'not the controller',
        { metadata: { ownerReferences: [{ ...reference, controller: false }] } },
      ],
    ];
    for (const [what, patch] of attempts) {
      const answer = await as(deploy, 'PATCH', primaryPath(), patch);
      console.log(`admission.test: the deploy identity, ownerReference ${what}: ${said(answer)}`);
      expect([what, answer.status]).toEqual([what, 403]);
      expect(said(answer)).toContain(`ValidatingAdmissionPolicy '${KEEP_PRIMARY}'`);
      expect(said(answer)).toContain(
        `remove or change the controller ownerReference of Deployment ${FUNCTIONS_NAMESPACE}/${PRIMARY} to Canary ${FUNCTIONS_NAMESPACE}/${NAME}, not ${deploy.username}`,
      );
    }
    expect((await primaryObject()).metadata.ownerReferences).toEqual(
      before.metadata.ownerReferences,
    );
  },
);

scenario(
  'Flagger promotes: its update of the primary’s pod template, as Promote writes it, is admitted',
  async () => {
    // Promote: get the primary, replace spec.template (and metadata) from the target, Update.
    const primary = await primaryObject();
    primary.spec.template.spec.containers[0]!.image = 'registry.local/x:2';
    const promoted = await as(flagger, 'PUT', primaryPath(), primary, 'application/json');
    expect(said(promoted)).toMatch(/^200/);
    expect(await imageOf()).toBe('registry.local/x:2');
  },
);

scenario(
  'deleting the primary is refused to cluster-admin, and admitted to an approver and to the garbage collector',
  async () => {
    const refused = await as(admin, 'DELETE', primaryPath());
    console.log(`admission.test: cluster-admin deleting the primary: ${said(refused)}`);
    expect(refused.status).toBe(403);
    expect(said(refused)).toContain(`ValidatingAdmissionPolicy '${KEEP_PRIMARY}'`);
    expect(said(refused)).toContain(
      `may delete Deployment ${FUNCTIONS_NAMESPACE}/${PRIMARY}, the primary of Canary ${FUNCTIONS_NAMESPACE}/${NAME}, not e2e-admin`,
    );

    // Kubernetes' garbage collector, as kube-controller-manager runs it
    // (--use-service-account-credentials): it deletes a primary whose Canary an approver deleted.
    await api.kube.apply({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'generic-garbage-collector', namespace: 'kube-system' },
    });
    await grantDeployments(['get', 'delete'], 'kube-system', 'generic-garbage-collector');
    await grantDeployments(['get', 'patch', 'delete'], GATE_NAMESPACE, 'greenlight-approve');
    const collector = await serviceAccountIdentity(
      api.kc,
      'kube-system',
      'generic-garbage-collector',
    );
    expect(collector.username).toBe('system:serviceaccount:kube-system:generic-garbage-collector');

    // The approver may change the template and delete it; the collector may delete it.
    await createPrimary('approved-primary');
    expect(
      said(
        await untilRbac(() =>
          as(approve, 'PATCH', primaryPath('approved-primary'), withImage('registry.local/x:3')),
        ),
      ),
    ).toMatch(/^200/);
    expect(
      said(await untilRbac(() => as(approve, 'DELETE', primaryPath('approved-primary')))),
    ).toMatch(/^200/);
    expect(said(await untilRbac(() => as(collector, 'DELETE', primaryPath())))).toMatch(/^200/);
  },
);

// The keep-gate policy: an approval means nothing once the Canary stops asking for one.
const KEEP_GATE = 'greenlight-gate-keep-gate';
const canaryRef = (name = NAME) => ({
  apiVersion: 'flagger.app/v1beta1',
  kind: 'Canary',
  namespace: FUNCTIONS_NAMESPACE,
  name,
});
const stored = async (name = NAME) =>
  (await as(approve, 'GET', `${CANARY_PATH}/${name}`)).body as {
    spec: {
      skipAnalysis?: boolean;
      targetRef: { name: string };
      analysis: { webhooks: { type: string; url: string }[] };
    };
  };
const webhooks = (spec: { analysis: { webhooks: { type: string; url: string }[] } }) =>
  spec.analysis.webhooks.map((w) => `${w.type} ${w.url}`);
/** The rendered Canary's webhooks with `change` applied, as a merge patch sends them. */
const withWebhooks = (change: (hooks: { type: string; url: string }[]) => object[]) => {
  const { spec } = canary() as KubernetesObject & {
    spec: { analysis: { webhooks: { type: string; url: string }[] } };
  };
  return { spec: { analysis: { webhooks: change(spec.analysis.webhooks) } } };
};
const GATE_PROMOTION = 'http://greenlight-gate.greenlight.svc.cluster.local:8080/gate/promotion';
const patchSpec = (who: Identity, spec: object) =>
  as(who, 'PATCH', `${CANARY_PATH}/${NAME}`, { spec });

/** Cluster-wide RBAC on Canaries for `who`, beyond what getting-started grants. */
async function grantCanaries(verb: string, who: Identity[]): Promise<void> {
  const name = `e2e-${verb}-canaries`;
  await api.kube.apply({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name },
    rules: [{ apiGroups: ['flagger.app'], resources: ['canaries'], verbs: [verb] }],
  });
  await api.kube.apply({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
    subjects: who.map((w) => ({
      kind: 'ServiceAccount',
      namespace: GATE_NAMESPACE,
      name: w.username.split(':').pop(),
    })),
  });
}

/** RBAC the test just granted reaches the authorizer a moment later: retry its refusal. */
async function untilRbac(request: () => Promise<ApiAnswer>, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await request();
    const rbac =
      answer.status === 403 &&
      / cannot (create|delete|patch) resource /.test(answer.body.message ?? '');
    if (!rbac || Date.now() > deadline) return answer;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

scenario(
  'the deploy identity cannot take the gate out of its Canary: a gate webhook removed, repointed to a look-alike or retyped, skipAnalysis or another target',
  async () => {
    const before = await stored();
    const attempts: [string, object, RegExp][] = [
      [
        'confirm-promotion removed',
        withWebhooks((hooks) => hooks.filter((h) => h.type !== 'confirm-promotion')),
        /remove the confirm-promotion webhook to this gate from Canary openfaas-fn\/chatbot/,
      ],
      [
        'confirm-promotion pointed at flagger-loadtester',
        withWebhooks((hooks) =>
          hooks.map((h) =>
            h.type === 'confirm-promotion'
              ? { ...h, url: 'http://flagger-loadtester.test/gate/approve' }
              : h,
          ),
        ),
        /remove the confirm-promotion webhook to this gate/,
      ],
      [
        'confirm-promotion pointed at a name that resolves outside the cluster',
        withWebhooks((hooks) =>
          hooks.map((h) =>
            h.type === 'confirm-promotion'
              ? { ...h, url: GATE_PROMOTION.replace('cluster.local', 'example.com') }
              : h,
          ),
        ),
        /remove the confirm-promotion webhook to this gate/,
      ],
      [
        'the gate webhooks retyped',
        withWebhooks((hooks) => hooks.map((h) => ({ ...h, type: 'event' }))),
        /remove the confirm-promotion webhook to this gate and the rollback webhook to this gate/,
      ],
      [
        // (spec.analysis itself is required by Flagger's CRD: the API server refuses a null.)
        'every webhook dropped',
        { spec: { analysis: { webhooks: null } } },
        /remove the confirm-promotion webhook to this gate and the rollback webhook/,
      ],
      [
        'skipAnalysis turned on',
        { spec: { skipAnalysis: true } },
        /set spec\.skipAnalysis to true on Canary openfaas-fn\/chatbot, which is wired to this gate/,
      ],
      [
        'another target Deployment',
        { spec: { targetRef: { name: 'chatbot-unapproved' } } },
        /change spec\.targetRef of Canary openfaas-fn\/chatbot/,
      ],
    ];
    for (const [what, patch, says] of attempts) {
      const answer = await as(deploy, 'PATCH', `${CANARY_PATH}/${NAME}`, patch);
      const text = said(answer);
      console.log(`admission.test: the deploy identity, ${what}: ${text}`);
      expect([what, answer.status]).toEqual([what, 403]);
      expect(text).toContain(`ValidatingAdmissionPolicy '${KEEP_GATE}'`);
      expect(text).toContain(`only its approvers (users ${approve.username}) may`);
      expect(text).toContain(`not ${deploy.username}`);
      expect(text).toMatch(says);
    }
    expect(await stored()).toEqual(before);
  },
);

scenario(
  'the deploy identity re-applying its Canary is admitted, also with other analysis settings or the gate by a shorter name of its Service',
  async () => {
    // What the action's deploy does on every merge: server-side apply, field manager greenlight.
    await deployKube.apply(canary());
    const options = resolveCanaryOptions({
      namespace: FUNCTIONS_NAMESPACE,
      approval: true,
      gateUrl: 'http://greenlight-gate.greenlight:8080',
      interval: '10s',
      stepWeight: 25,
    });
    const [changed] = renderCanary({ name: NAME }, options) as KubernetesObject[];
    await deployKube.apply(changed as KubernetesObject);
    expect(webhooks((await stored()).spec)).toEqual([
      'confirm-promotion http://greenlight-gate.greenlight:8080/gate/promotion',
      'rollback http://greenlight-gate.greenlight:8080/gate/rollback',
    ]);
    await deployKube.apply(canary());
    expect(webhooks((await stored()).spec)[0]).toBe(`confirm-promotion ${GATE_PROMOTION}`);
  },
);

scenario('an approver may take the gate out, turn skipAnalysis on and put both back', async () => {
  const out = await as(
    approve,
    'PATCH',
    `${CANARY_PATH}/${NAME}`,
    withWebhooks(() => []),
  );
  expect(said(out)).toMatch(/^200/);
  expect((await stored()).spec.analysis.webhooks ?? []).toEqual([]);
  // No longer wired to the gate, yet in a namespace that requires approval: the deploy may
  // not change its spec until the gate is back (the require-gate policy), only touch its
  // metadata.
  const change = await patchSpec(deploy, { analysis: { interval: '15s' } });
  expect(said(change)).toMatch(new RegExp(`^403 .*ValidatingAdmissionPolicy '${REQUIRE_GATE}'`));
  expect(said(change)).toContain('Add a confirm-promotion webhook to');
  expect(said(await patchCanary(deploy, { 'example.com/touched': 'again' }))).toMatch(/^200/);

  expect(
    said(
      await as(
        approve,
        'PATCH',
        `${CANARY_PATH}/${NAME}`,
        withWebhooks((h) => h),
      ),
    ),
  ).toMatch(/^200/);
  expect(said(await patchSpec(deploy, { skipAnalysis: true }))).toMatch(/^403/);
  expect(said(await patchSpec(approve, { skipAnalysis: true }))).toMatch(/^200/);
  expect(said(await patchSpec(approve, { skipAnalysis: false }))).toMatch(/^200/);
  expect((await stored()).spec.skipAnalysis).toBe(false);
});

// The require-gate policy: where the platform labelled the namespace, a Canary the deploy
// creates must ask the gate too — keep-gate alone never sees a create.
const createAs = (who: Identity, object: KubernetesObject, path = CANARY_PATH) =>
  as(who, 'POST', path, object, 'application/json');
/** The Canary the action renders with approval on, under another name (same target). */
const gatedCanary = (name: string, extra: object = {}) => {
  const object = canary() as KubernetesObject & { spec: object };
  return { ...object, metadata: { ...object.metadata, name }, spec: { ...object.spec, ...extra } };
};

scenario(
  'in a namespace labelled greenlight.dev/approval=required the deploy identity cannot create a second Canary for the chatbot target that does not ask the gate',
  async () => {
    const labels = (
      await api.kc.makeApiClient(CoreV1Api).readNamespace({ name: FUNCTIONS_NAMESPACE })
    ).metadata?.labels;
    expect(labels?.[APPROVAL_LABEL]).toBe('required');
    const lookAlike = gatedCanary('chatbot-lookalike') as KubernetesObject & {
      spec: { analysis: { webhooks: { type: string; url: string }[] } };
    };
    lookAlike.spec.analysis.webhooks = lookAlike.spec.analysis.webhooks.map((h) =>
      h.type === 'confirm-promotion'
        ? { ...h, url: 'http://flagger-loadtester.test/gate/approve' }
        : h,
    );
    const attempts: [string, KubernetesObject][] = [
      ['rendered with approval off', ungatedCanary('chatbot-ungated')],
      ['its confirm-promotion pointed elsewhere', lookAlike],
    ];
    for (const [what, object] of attempts) {
      const answer = await createAs(deploy, object);
      const text = said(answer);
      console.log(`admission.test: the deploy identity creating a Canary ${what}: ${text}`);
      expect([what, answer.status]).toEqual([what, 403]);
      expect(text).toContain(`ValidatingAdmissionPolicy '${REQUIRE_GATE}'`);
      expect(text).toContain(
        `namespace ${FUNCTIONS_NAMESPACE} is labelled greenlight.dev/approval=required`,
      );
      expect(text).toContain(`written by ${deploy.username} does not`);
      expect(text).toContain(`Add a confirm-promotion webhook to ${GATE_PROMOTION}`);
      expect(text).toContain(`approvers (users ${approve.username})`);
    }
    const names = (
      (await as(approve, 'GET', CANARY_PATH)).body as { items: KubernetesObject[] }
    ).items.map((c) => c.metadata?.name);
    expect(names).not.toContain('chatbot-ungated');
    expect(names).not.toContain('chatbot-lookalike');
  },
);

scenario(
  'in a labelled namespace the deploy identity creates a Canary that asks the gate, as core renders it with approval on (Linkerd or Gateway API), and cannot create one with skipAnalysis',
  async () => {
    expect(said(await createAs(deploy, gatedCanary('chatbot-second')))).toMatch(/^201/);
    // The Gateway API provider's Canary asks the same gate.
    const [gatewayapi] = renderCanary(
      { name: 'faq-bot' },
      resolveCanaryOptions({
        namespace: FUNCTIONS_NAMESPACE,
        approval: true,
        provider: 'gatewayapi',
      }),
    ) as KubernetesObject[];
    expect(said(await createAs(deploy, gatewayapi as KubernetesObject))).toMatch(/^201/);
    const skipping = await createAs(deploy, gatedCanary('chatbot-skips', { skipAnalysis: true }));
    console.log(
      `admission.test: the deploy identity creating a skipAnalysis Canary: ${said(skipping)}`,
    );
    expect(skipping.status).toBe(403);
    expect(said(skipping)).toContain(`ValidatingAdmissionPolicy '${REQUIRE_GATE}'`);
    expect(said(skipping)).toContain('may not set spec.skipAnalysis to true');
    expect(said(skipping)).toContain(`written by ${deploy.username} does`);
  },
);

scenario(
  'in a namespace without the label the deploy identity creates an ungated Canary',
  async () => {
    const path = `/apis/flagger.app/v1beta1/namespaces/${OPEN_NAMESPACE}/canaries`;
    expect(said(await createAs(deploy, ungatedCanary('chatbot', OPEN_NAMESPACE), path))).toMatch(
      /^201/,
    );
  },
);

scenario(
  'an approver may create an ungated Canary in a labelled namespace; the deploy then touches its metadata, not its spec',
  async () => {
    // An approver with RBAC to create (a release manager's own credential; getting-started's
    // approve identity only patches): the policy lets it make a function ungated on purpose.
    await grantCanaries('create', [approve]);
    const created = await untilRbac(() => createAs(approve, ungatedCanary('chatbot-no-gate')));
    expect(said(created)).toMatch(/^201/);
    const path = `${CANARY_PATH}/chatbot-no-gate`;
    expect(
      said(
        await as(deploy, 'PATCH', path, { metadata: { labels: { 'example.com/team': 'bots' } } }),
      ),
    ).toMatch(/^200/);
    expect(
      said(await as(deploy, 'PATCH', path, { spec: { analysis: { stepWeight: 20 } } })),
    ).toMatch(new RegExp(`^403 .*ValidatingAdmissionPolicy '${REQUIRE_GATE}'`));
  },
);

scenario(
  'the deploy identity creates a new function’s Deployment and Service as the action does, and may list Deployments for the OpenFaaS CE count',
  async () => {
    const fn = {
      name: 'faq',
      lang: 'dockerfile',
      handler: './faq',
      image: 'registry.local/acme/faq:latest',
      environment: { BOT_COLOR: 'blue' },
      fprocess: 'node index.js',
      secrets: ['faq-token'],
      labels: { 'com.openfaas.scale.min': '2' },
      limits: { memory: '128Mi', cpu: '200m' },
      requests: { memory: '32Mi' },
      readonly_root_filesystem: true,
    };
    const { deployment, service } = renderFunctionObjects(fn, {
      namespace: FUNCTIONS_NAMESPACE,
      image: 'registry.local/acme/faq:v1',
      annotations: { [REVISION_ANNOTATION]: 'v1' },
    });
    // The kubernetes target's calls (create, never patch), as getting-started's deploy
    // identity; the real API server also validates the rendered objects.
    expect(await deployKube.create(service as KubernetesObject)).toBeDefined();
    expect(await deployKube.create(deployment as KubernetesObject)).toBeDefined();
    // A second create finds them there and changes nothing.
    expect(await deployKube.create(service as KubernetesObject)).toBeUndefined();
    const ref = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: FUNCTIONS_NAMESPACE };
    const created = await deployKube.get<V1Deployment>({ ...ref, name: 'faq' });
    expect(created?.spec?.replicas).toBe(2);
    expect(created?.spec?.template.spec?.containers[0]?.resources?.limits).toEqual({
      memory: '128Mi',
      cpu: '200m',
    });
    // Twelve more would be at CE's warning line: the count is read, not skipped.
    expect(await readCeLimitWarning(deployKube, FUNCTIONS_NAMESPACE, 12)).toMatch(
      /^OpenFaaS CE limit: [1-9]\d* Deployments with a faas_function label in openfaas-fn/,
    );
  },
);

scenario(
  'deleting a Canary wired to the gate is an approver’s, even for an identity RBAC lets delete; others’ Canaries, and its Canary and primary in a namespace being deleted, stay open',
  async () => {
    // A credential broader than getting-started's deploy (a team's own kubectl, a GitOps
    // controller): RBAC lets it delete Canaries, so only the policy stands in the way.
    await grantCanaries('delete', [deploy, approve]);
    const refused = await untilRbac(() => as(deploy, 'DELETE', `${CANARY_PATH}/${NAME}`));
    console.log(`admission.test: the deploy identity deleting the Canary: ${said(refused)}`);
    expect(refused.status).toBe(403);
    expect(refused.body.message).toContain(`ValidatingAdmissionPolicy '${KEEP_GATE}'`);
    expect(refused.body.message).toContain(
      `may delete Canary ${FUNCTIONS_NAMESPACE}/${NAME}, which is wired to this gate, not ${deploy.username}`,
    );
    expect(await deployKube.get(canaryRef())).toBeDefined();

    // A Canary without approval (an approver's, in this namespace) is the deploy's to delete.
    const ungated = renderCanary(
      { name: 'no-approval' },
      resolveCanaryOptions({ namespace: FUNCTIONS_NAMESPACE, approval: false }),
    )[0] as KubernetesObject;
    expect(said(await createAs(approve, ungated))).toMatch(/^201/);
    expect(said(await as(deploy, 'DELETE', `${CANARY_PATH}/no-approval`))).toMatch(/^200/);

    // The approver deletes a gated one.
    expect(said(await as(approve, 'DELETE', `${CANARY_PATH}/plain`))).toMatch(/^200/);

    // A namespace being deleted takes its Deployments with it: its Canaries may go (no
    // namespace controller runs here, so the namespace stays Terminating; this comes last).
    expect(said(await as(admin, 'DELETE', primaryPath(SPARE_PRIMARY)))).toMatch(/^403 /);
    await api.kc.makeApiClient(CoreV1Api).deleteNamespace({ name: FUNCTIONS_NAMESPACE });
    expect(said(await as(deploy, 'DELETE', `${CANARY_PATH}/${NAME}`))).toMatch(/^200/);
    // The namespace controller deletes its Deployments; Flagger cannot re-create one there.
    expect(said(await as(admin, 'DELETE', primaryPath(SPARE_PRIMARY)))).toMatch(/^200/);
  },
);
