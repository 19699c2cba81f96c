// Issue 12, attack 1: a standing approval promoting what nobody approved. Tried as an
// attacker would, with plain Kubernetes API writes (merge patches over HTTP, as anyone who
// may patch Deployments or Canaries can send), against the sandbox — its Flagger-behaving
// controller sends Flagger's real webhook checksum to the real gate — or, where Flagger's
// metrics would have to change under one pod template, against the real gate fed by a
// Flagger status script. The promise: an approval promotes exactly the pod template that
// was under analysis when it was given, once (docs/design.md, "The approval protocol").
import type { CoreV1Event, V1Deployment } from '@kubernetes/client-node';
import type { Canary } from 'flagger-types';
import { approve, canaryChecksum, type KubeClient } from '@greenlight/core';
import { startProber, startSandbox, type Sandbox, type SandboxProber } from '@greenlight/sandbox';
import { KubeScenarioCluster } from '../../scenarios/kube-cluster.ts';
import type { ScenarioCluster } from '../../scenarios/cluster.ts';
import { deployChatbot, eventually, startTestCluster } from '@greenlight/test-kit/cluster';
import { flaggerWrites, readWebhookPayload } from '@greenlight/test-kit/flagger';
import { startGate } from '@greenlight/test-kit/processes/gate';

const NS = 'openfaas-fn';
const REF = { namespace: NS, name: 'chatbot' };
/** Flagger's shortest interval (10 s), run 50 times faster: a check every 200 ms. */
const SPEED = 50;
const INTERVAL_MS = 10_000 / SPEED;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let sandbox: Sandbox | undefined;
let prober: SandboxProber | undefined;
afterEach(async () => {
  await prober?.close();
  await sandbox?.close();
  prober = undefined;
  sandbox = undefined;
});

async function startBoundSandbox(): Promise<{ sandbox: Sandbox; cluster: ScenarioCluster }> {
  sandbox = await startSandbox({ speed: SPEED });
  prober = await startProber(sandbox);
  const cluster = new KubeScenarioCluster({
    kube: sandbox.kube,
    gateUrl: sandbox.gateUrl,
    prometheusAddress: sandbox.metricsUrl,
    probeUrl: prober.url,
    interval: '10s',
    intervalMs: INTERVAL_MS,
    close: async () => undefined,
  });
  return { sandbox, cluster };
}

/** A JSON merge patch straight to the API server, as `kubectl patch --type merge` sends it. */
async function patch(apiUrl: string, path: string, body: object): Promise<void> {
  const response = await fetch(`${apiUrl}${path}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/merge-patch+json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`PATCH ${path}: ${response.status} ${await response.text()}`);
}
const DEPLOYMENT = `/apis/apps/v1/namespaces/${NS}/deployments/chatbot`;
const CANARY = `/apis/flagger.app/v1beta1/namespaces/${NS}/canaries/chatbot`;

/** Asks confirm-promotion exactly as Flagger would now: its checksum of the Canary's status. */
async function confirmPromotion(gateUrl: string, kube: KubeClient) {
  const response = await fetch(`${gateUrl}/gate/promotion`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(await readWebhookPayload(kube, REF)),
  });
  return { status: response.status, ...((await response.json()) as { code: string }) };
}

async function deployment(kube: KubeClient, name: string): Promise<V1Deployment | undefined> {
  return kube.get<V1Deployment>({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: NS, name });
}
const imageOf = async (kube: KubeClient, name: string) =>
  (await deployment(kube, name))?.spec?.template.spec?.containers[0]?.image;

/** The gate's Events on the Canary refusing promotion, newest last. */
async function refusals(kube: KubeClient): Promise<string[]> {
  const events = await kube.list<CoreV1Event>({ apiVersion: 'v1', kind: 'Event' }, NS);
  return events
    .filter((e) => e.involvedObject?.name === 'chatbot' && e.reason === 'GatePromotionRefused')
    .map((e) => e.message ?? '');
}

/** v1 is the primary; v2 is deployed, analysed, approved and promoted. */
async function v2ApprovedAndPromoted(cluster: ScenarioCluster): Promise<void> {
  await cluster.install({ approval: true });
  await cluster.deploy('v1');
  await cluster.waitFor('v1 initialized', (view) => view.phase === 'Initialized');
  await cluster.deploy('v2');
  await cluster.waitFor('v2 waiting', (view) => view.waitingForApproval && view.revision === 'v2');
  await cluster.approve('v2');
  await cluster.waitFor(
    'v2 promoted',
    (view) => view.phase === 'Succeeded' && view.promotedRevision === 'v2',
  );
}

/** Flagger holds the changed template at confirm-promotion, and keeps holding it. */
async function heldWithoutApproval(cluster: ScenarioCluster, kube: KubeClient) {
  const waiting = await cluster.waitFor(
    'the changed v2 held for approval',
    (view) => view.waitingForApproval && view.revision === 'v2',
    10_000,
  );
  // Several more of Flagger's checks: none gets a yes.
  await sleep(5 * INTERVAL_MS);
  expect(await cluster.view()).toMatchObject({ phase: 'WaitingPromotion', revision: 'v2' });
  return { waiting, kube };
}

test('an approval of v2 does not promote another image swapped in under the revision v2', async () => {
  const { sandbox, cluster } = await startBoundSandbox();
  await v2ApprovedAndPromoted(cluster);
  const approved = await imageOf(sandbox.kube, 'chatbot-primary');

  // The attacker may patch Deployments: a new image, the revision annotation left as it was.
  await patch(sandbox.api.url, DEPLOYMENT, {
    spec: {
      template: {
        spec: { containers: [{ name: 'chatbot', image: 'registry.local/chatbot:mallory' }] },
      },
    },
  });
  expect(
    (await deployment(sandbox.kube, 'chatbot'))?.spec?.template.metadata?.annotations?.[
      'greenlight.dev/revision'
    ],
  ).toBe('v2');

  const { waiting } = await heldWithoutApproval(cluster, sandbox.kube);
  expect(waiting.approval).toMatchObject({ revision: 'v2', matchesRevision: true, state: 'used' });
  const answer = await confirmPromotion(sandbox.gateUrl, sandbox.kube);
  expect(answer.status).toBe(403);
  expect(['OtherTemplate', 'ApprovalUsed']).toContain(answer.code);
  await eventually(async () =>
    (await refusals(sandbox.kube)).some((m) =>
      /approval of revision v2 .*(was given for an earlier analysis|another pod template)/.test(m),
    ),
  );
  expect(await imageOf(sandbox.kube, 'chatbot-primary')).toBe(approved);
  expect(approved).not.toBe('registry.local/chatbot:mallory');
}, 30_000);

test('re-running the deploy of the approved commit with a rebuilt image needs a new approval', async () => {
  const { sandbox, cluster } = await startBoundSandbox();
  await v2ApprovedAndPromoted(cluster);

  // The same commit built again: another digest, the same revision (a server-side apply of
  // the whole Deployment, as the action's deploy writes it).
  const rebuilt = 'registry.local/chatbot@sha256:' + 'b'.repeat(64);
  await patch(sandbox.api.url, DEPLOYMENT, {
    spec: { template: { spec: { containers: [{ name: 'chatbot', image: rebuilt }] } } },
  });

  await heldWithoutApproval(cluster, sandbox.kube);
  const answer = await confirmPromotion(sandbox.gateUrl, sandbox.kube);
  expect(answer).toMatchObject({ status: 403, code: 'ApprovalUsed' });
  expect(await imageOf(sandbox.kube, 'chatbot-primary')).not.toBe(rebuilt);

  // A person approves this analysis: now, and only now, the rebuilt image is promoted.
  await cluster.approve('v2');
  await eventually(
    async () => (await imageOf(sandbox.kube, 'chatbot-primary')) === rebuilt,
    10_000,
  );
}, 30_000);

test('an approval of an analysis that was rolled back does not promote the same template analysed again', async () => {
  // Flagger's metrics must fail one run and pass the next of one pod template, which the
  // sandbox's chatbot code (the same template, the same answers) cannot do: Flagger is a script of
  // its status writes here, the gate the real one, its caches on the API stand-in.
  const cluster = await startTestCluster();
  let clock = Date.parse('2026-12-01T10:00:00Z');
  const flagger = flaggerWrites(cluster.api.url, cluster.kube, {
    clock: () => new Date((clock += 60_000)),
  });
  const gate = await startGate(cluster.kc);
  try {
    await deployChatbot(cluster.kube, { revision: 'v2' });
    await flagger.analyse('chatbot', [10, 20]);
    const first = await readWebhookPayload(cluster.kube, REF);
    await approve(cluster.kube, REF, { note: 'ana' });
    // The metrics fail: Flagger rolls v2 back (Promoted False), the approval still on the Canary.
    await flagger.fail('chatbot');
    // Later, the same template is analysed again and passes.
    await flagger.analyse('chatbot', [10, 20, 30]);
    await flagger.status('chatbot', 'WaitingPromotion');
    const again = await readWebhookPayload(cluster.kube, REF);
    expect(again.checksum).toBe(first.checksum);

    // Asked as Flagger asks, until the gate's caches have caught up (503 NotSynced before).
    let answer = await confirmPromotion(gate.url, cluster.kube);
    await eventually(async () => {
      answer = await confirmPromotion(gate.url, cluster.kube);
      return answer.status !== 503;
    });
    expect(answer).toMatchObject({ status: 403, code: 'ApprovalUsed' });
    await gate.recorder.flush();
    expect((await refusals(cluster.kube)).join('\n')).toContain(
      'was given for an earlier analysis, which has since been promoted or rolled back',
    );
  } finally {
    await gate.stop();
    await cluster.close();
  }
}, 30_000);

test('an approval written by hand, naming the revision but no analysis, promotes nothing', async () => {
  const { sandbox, cluster } = await startBoundSandbox();
  await cluster.install({ approval: true });
  await cluster.deploy('v1');
  await cluster.waitFor('v1 initialized', (view) => view.phase === 'Initialized');
  await cluster.deploy('v2');
  await cluster.waitFor('v2 waiting', (view) => view.waitingForApproval && view.revision === 'v2');

  // Someone who may patch Canaries writes the approval annotations themselves.
  await patch(sandbox.api.url, CANARY, {
    metadata: {
      annotations: {
        'greenlight.dev/approved-revision': 'v2',
        'greenlight.dev/approved-by': 'release-manager',
        'greenlight.dev/approved-at': new Date().toISOString(),
      },
    },
  });

  const { waiting } = await heldWithoutApproval(cluster, sandbox.kube);
  expect(waiting.approval).toMatchObject({ revision: 'v2', state: 'unbound' });
  expect(await confirmPromotion(sandbox.gateUrl, sandbox.kube)).toMatchObject({
    status: 403,
    code: 'ApprovalUnbound',
  });
  await eventually(async () =>
    (await refusals(sandbox.kube)).some((m) =>
      m.includes(
        'does not say which analysis, pod template and approver it is for (one of greenlight.dev/approved-checksum',
      ),
    ),
  );
  expect((await cluster.view()).promotedRevision).toBe('v1');
  // The checksum alone, copied from Flagger's status, is not enough either: no run named.
  // (A forgery of both from the Canary's status is what the gate chart's admission policy
  // refuses: only the approver identities may write greenlight.dev/approved-*.)
  const canary = await sandbox.kube.get<Canary>({
    apiVersion: 'flagger.app/v1beta1',
    kind: 'Canary',
    ...REF,
  });
  await patch(sandbox.api.url, CANARY, {
    metadata: {
      annotations: { 'greenlight.dev/approved-checksum': canaryChecksum(canary?.status) },
    },
  });
  await sleep(3 * INTERVAL_MS);
  expect(await confirmPromotion(sandbox.gateUrl, sandbox.kube)).toMatchObject({
    status: 403,
    code: 'ApprovalUnbound',
  });
  // Nor the run copied beside it from the Promoted condition: no pod template approved.
  const promoted = canary?.status?.conditions?.find((c) => c.type === 'Promoted');
  await patch(sandbox.api.url, CANARY, {
    metadata: {
      annotations: { 'greenlight.dev/approved-analysis': promoted?.lastTransitionTime ?? '' },
    },
  });
  await sleep(3 * INTERVAL_MS);
  expect(await confirmPromotion(sandbox.gateUrl, sandbox.kube)).toMatchObject({
    status: 403,
    code: 'ApprovalUnbound',
  });
  expect((await cluster.view()).promotedRevision).toBe('v1');
}, 30_000);
