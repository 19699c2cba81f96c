import type { CoreV1Event } from '@kubernetes/client-node';
import { approve, abort } from '@greenlight/core';
import {
  deployChatbot,
  eventually,
  startTestCluster,
  type TestCluster,
} from '@greenlight/test-kit/cluster';
import { writeCanaryStatus } from '@greenlight/test-kit/flagger';
import {
  flaggerPayload,
  startGate,
  waitingPromotion,
  type RunningGate,
} from '@greenlight/test-kit/processes/gate';

let cluster: TestCluster;
let gate: RunningGate;
/** What Flagger POSTs while the Canary waits for promotion (its checksum included). */
let payload: ReturnType<typeof flaggerPayload>;

beforeEach(async () => {
  cluster = await startTestCluster();
  await deployChatbot(cluster.kube, { revision: 'rev-1' });
  payload = await waitingPromotion(cluster.api.url, cluster.kube);
  gate = await startGate(cluster.kc);
});

afterEach(async () => {
  await gate.stop();
  await cluster.close();
});

const promotion = () => gate.post('/gate/promotion', payload);
const approvedInCache = async (g: RunningGate) =>
  (await g.post('/gate/promotion', payload)).status === 200;

test('refuses promotion while nothing is approved', async () => {
  const response = await promotion();
  expect(response.status).toBe(403);
  expect(await response.json()).toMatchObject({ allowed: false, code: 'NotApproved' });
});

test('allows promotion of exactly the approved revision under analysis', async () => {
  await approve(
    cluster.kube,
    { namespace: 'openfaas-fn', name: 'chatbot' },
    { note: 'backstage:user:default/ana' },
  );
  await eventually(() => approvedInCache(gate));
  expect(await (await promotion()).json()).toMatchObject({ allowed: true, revision: 'rev-1' });
});

test('refuses promotion once the target has moved to another revision', async () => {
  await approve(cluster.kube, { namespace: 'openfaas-fn', name: 'chatbot' }, {});
  await eventually(() => approvedInCache(gate));
  await deployChatbot(cluster.kube, { revision: 'rev-2' });
  await eventually(async () => (await promotion()).status === 403);
  expect(await (await promotion()).json()).toMatchObject({ code: 'OtherRevision' });
});

test('a restarted gate and a second replica give the same answers', async () => {
  await approve(cluster.kube, { namespace: 'openfaas-fn', name: 'chatbot' }, {});
  await eventually(() => approvedInCache(gate));
  await gate.stop();
  gate = await startGate(cluster.kc);
  const replica = await startGate(cluster.kc);
  try {
    expect((await promotion()).status).toBe(200);
    expect((await replica.post('/gate/promotion', payload)).status).toBe(200);
    await deployChatbot(cluster.kube, { revision: 'rev-2' });
    await eventually(async () => (await promotion()).status === 403);
    await eventually(async () => (await replica.post('/gate/promotion', payload)).status === 403);
  } finally {
    await replica.stop();
  }
});

test('the rollback gate opens only for an abort of the revision under analysis', async () => {
  expect((await gate.post('/gate/rollback', payload)).status).toBe(403);
  await abort(cluster.kube, { namespace: 'openfaas-fn', name: 'chatbot' }, {});
  await eventually(async () => (await gate.post('/gate/rollback', payload)).status === 200);
  // An abort also closes the promotion gate: abort wins over approve.
  await approve(cluster.kube, { namespace: 'openfaas-fn', name: 'chatbot' }, {}).catch(() => {});
  expect((await promotion()).status).toBe(403);
});

test('an abort rolls back the run it was given for, not a later run of the same revision', async () => {
  const ref = { namespace: 'openfaas-fn', name: 'chatbot' };
  await abort(cluster.kube, ref, {});
  await eventually(async () => (await gate.post('/gate/rollback', payload)).status === 200);
  // Flagger rolls rev-1 back; later the same revision is analysed again (a re-deploy after a
  // fix elsewhere), in a run that begins at its own time.
  const later = Date.now() + 5_000;
  await writeCanaryStatus(cluster.api.url, ref, 'Failed', {}, new Date(later));
  await writeCanaryStatus(cluster.api.url, ref, 'Progressing', {}, new Date(later + 2_000));
  const again = await waitingPromotion(cluster.api.url, cluster.kube);
  await eventually(async () => (await gate.post('/gate/rollback', again)).status === 403);
  expect(await (await gate.post('/gate/rollback', again)).json()).toMatchObject({
    code: 'OtherRevision',
  });
  // Nor does it hold the new run's promotion: that waits for an approval, not for the abort.
  expect(await (await gate.post('/gate/promotion', again)).json()).toMatchObject({
    code: 'NotApproved',
  });
});

test('refuses everything until its caches have synced', async () => {
  const cold = await startGate(cluster.kc, { sync: false });
  try {
    await approve(cluster.kube, { namespace: 'openfaas-fn', name: 'chatbot' }, {});
    const response = await cold.post('/gate/promotion', payload);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ allowed: false, code: 'NotSynced' });
    expect((await fetch(`${cold.url}/readyz`)).status).toBe(503);
  } finally {
    await cold.stop();
  }
});

test('records each decision as an Event on the Canary', async () => {
  await promotion();
  await gate.recorder.flush();
  const events = await cluster.kube.list<CoreV1Event>(
    { apiVersion: 'v1', kind: 'Event' },
    'openfaas-fn',
  );
  expect(events.map((event) => [event.involvedObject?.name, event.reason])).toContainEqual([
    'chatbot',
    'GatePromotionRefused',
  ]);
});

test('answers decisions from its cache: no API request but the Event write', async () => {
  const before = cluster.api.requestLog.length;
  for (let i = 0; i < 20; i++) await promotion();
  await gate.recorder.flush();
  const during = cluster.api.requestLog.slice(before).filter((entry) => !entry.watch);
  expect(during.map((entry) => `${entry.method} ${entry.path}`)).toEqual([
    'POST /api/v1/namespaces/openfaas-fn/events',
  ]);
});

test('serves its decisions as Prometheus metrics', async () => {
  await promotion();
  await gate.post('/gate/promotion', '{');
  const text = await (await fetch(`${gate.url}/metrics`)).text();
  expect(text).toContain(
    'greenlight_gate_decisions_total{gate="promotion",result="refused",code="NotApproved"} 1',
  );
  expect(text).toContain(
    'greenlight_gate_decisions_total{gate="promotion",result="invalid",code="BadRequest"} 1',
  );
  expect(text).toContain('greenlight_gate_cache_synced 1');
});
