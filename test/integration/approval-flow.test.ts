// The approval protocol across packages, with every piece a real process or server: the
// API stand-in holds the Canary, `greenlight approve` writes the approval on it, and
// `greenlight-gate` replicas answer Flagger's confirm-promotion webhook from it.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  deployChatbot,
  eventually,
  startTestCluster,
  type TestCluster,
} from '@greenlight/test-kit/cluster';
import { flaggerWrites, type FlaggerWrites } from '@greenlight/test-kit/flagger';
import { runCliProcess, startGateProcess, type GateProcess } from './processes.ts';

const APPROVED = '8c1e5f0a2b3d4c6e7f8091a2b3c4d5e6f7a8b9c0';
const NEXT = '0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2910';

let cluster: TestCluster;
let kubeconfig: string;
let flagger: FlaggerWrites;
const gates: GateProcess[] = [];

beforeAll(async () => {
  cluster = await startTestCluster();
  kubeconfig = join(mkdtempSync(join(tmpdir(), 'greenlight-flow-')), 'kubeconfig');
  writeFileSync(kubeconfig, cluster.api.kubeconfig());
  await deployChatbot(cluster.kube, { revision: APPROVED });
  // Flagger has analysed it and holds it for confirm-promotion.
  flagger = flaggerWrites(cluster.api.url, cluster.kube);
  await flagger.analyse('chatbot', [10, 20]);
  await flagger.status('chatbot', 'WaitingPromotion');
});

afterAll(async () => {
  await Promise.all(gates.map((gate) => gate.stop()));
  await cluster.close();
});

async function startGate(port?: number): Promise<GateProcess> {
  const gate = await startGateProcess(kubeconfig, port);
  gates.push(gate);
  return gate;
}

/** What Flagger POSTs to a confirm-promotion webhook (pkg/controller/webhook.go). */
async function confirmPromotion(gate: GateProcess): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${gate.url}/gate/promotion`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    // With the checksum Flagger sends for the Canary's status now.
    body: JSON.stringify(await flagger.payload('chatbot')),
  });
  return { status: response.status, body: await response.json() };
}

const statusOf = async (gate: GateProcess) => (await confirmPromotion(gate)).status;

test('a revision approved with the CLI is promoted by every gate replica, before and after a restart, until the target moves on', async () => {
  const [first, second] = await Promise.all([startGate(), startGate()]);
  if (!first || !second) throw new Error('gates did not start');

  // Nothing approved yet: both replicas hold the canary.
  expect(await confirmPromotion(first)).toMatchObject({
    status: 403,
    body: { allowed: false, code: 'NotApproved' },
  });
  expect(await statusOf(second)).toBe(403);

  const approved = await runCliProcess(
    ['approve', 'openfaas-fn/chatbot', '--revision', APPROVED, '--by', 'release-manager'],
    { KUBECONFIG: kubeconfig },
  );
  expect(approved).toEqual({
    code: 0,
    // The API server names the writer (the stand-in's anonymous user); --by is the note.
    out: `openfaas-fn/chatbot: revision ${APPROVED} approved for promotion by system:anonymous (release-manager)\n`,
    err: '',
  });

  // Each replica learns of the approval from its own watch of the Canary.
  await eventually(async () => (await statusOf(first)) === 200);
  await eventually(async () => (await statusOf(second)) === 200);
  expect((await confirmPromotion(first)).body).toMatchObject({
    allowed: true,
    code: 'Approved',
    revision: APPROVED,
  });

  // A restart loses nothing: the approval lives on the Canary, not in the gate.
  await first.stop();
  const restarted = await startGate(first.port);
  expect(restarted.url).toBe(first.url);
  expect(await statusOf(restarted)).toBe(200);

  // A new revision under analysis is not covered by the old approval, on any replica.
  await deployChatbot(cluster.kube, { revision: NEXT });
  await flagger.status('chatbot', 'Progressing');
  await eventually(async () => (await statusOf(restarted)) === 403);
  await eventually(async () => (await statusOf(second)) === 403);
  expect((await confirmPromotion(second)).body).toMatchObject({
    allowed: false,
    code: 'OtherRevision',
    revision: NEXT,
  });
});
