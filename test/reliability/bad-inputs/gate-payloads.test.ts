// Runs gate-payloads.cases.ts against a gate replica (the gate's own server and caches) on
// the API stand-in: each answer has the case's status and says what is wrong and what the
// gate wants; none is a 200, and none leaves a write on the cluster — not even an Event.
import { approve } from '@greenlight/core';
import { deployChatbot, startTestCluster, type TestCluster } from '@greenlight/test-kit/cluster';
import { startGate, type RunningGate } from '@greenlight/test-kit/processes/gate';
import { writeCanaryStatus } from '@greenlight/test-kit/flagger';
import { CASE_STATUS, flaggerPayload, GATE_CASES } from './gate-payloads.cases.ts';
import { missing } from './expect-error.ts';

let cluster: TestCluster;
let gate: RunningGate;

beforeAll(async () => {
  cluster = await startTestCluster();
  await deployChatbot(cluster.kube, { revision: 'rev-1' });
  // Flagger analyses rev-1 (CASE_STATUS) and it is approved: only the cases' faults refuse.
  const ref = { namespace: 'openfaas-fn', name: 'chatbot' };
  await writeCanaryStatus(cluster.api.url, ref, 'WaitingPromotion', CASE_STATUS);
  await approve(cluster.kube, ref, { note: 'ana' });
  gate = await startGate(cluster.kc);
});

afterAll(async () => {
  await gate.stop();
  await cluster.close();
});

test.each(GATE_CASES)('$name: $status, naming what is wrong, nothing written', async (row) => {
  const writesBefore = cluster.api.writes().length;
  const response = await fetch(`${gate.url}${row.path}`, {
    method: row.method,
    headers: row.contentType ? { 'content-type': row.contentType } : {},
    body: row.body,
  });
  const answer = (await response.json()) as { allowed: boolean; reason: string };
  expect([response.status, missing(answer.reason, row.says), answer.reason]).toEqual([
    row.status,
    [],
    answer.reason,
  ]);
  expect(answer.allowed).toBe(false);
  await gate.recorder.flush();
  expect(cluster.api.writes().slice(writesBefore)).toEqual([]);
});

test('the same payload, well formed, opens the gate (the cases above are not refused for another reason)', async () => {
  expect((await gate.post('/gate/promotion', flaggerPayload())).status).toBe(200);
});
