// Approving from Backstage through API faults: the backend's write of the approval (a merge
// patch of the Canary) and of its Event go through fault-proxy.ts, which answers some with a
// 500 or a 429 before they reach the API, and carries others out but cuts the connection
// before the answer (a lost response). One click, one answer, and the answer is the truth:
// - 200: the Canary carries the approval of that revision for that user (the note beside
//   the backend's Kubernetes identity, which the API server names), with one
//   PromotionApproved Event (none only when every try to record it failed: the approval on
//   the Canary is what counts) and one audit record — never lost, never doubled;
// - an error: a 5xx whose message names the Canary, what the API said and what to check, one
//   audit failure, and nothing on the Canary — never an approval the user was told failed.
// Most clicks meet a few faults (which retries get through); one in five meets an outage:
// every write faulted, so that the error answer is checked too.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mockCredentials } from '@backstage/backend-test-utils';
import { KubeConfig } from '@kubernetes/client-node';
import { createKubeClient } from '@greenlight/core';
import request from 'supertest';
import { entity, startBackend, type AuditRecord } from '@greenlight/test-kit/backstage/backend';
import { NS, startStandIn, type StandIn } from '@greenlight/test-kit/cluster/backstage';
import { startFaultProxy, type FaultKind, type FaultProxy } from './fault-proxy.ts';
import { seededRandom } from './support/random.ts';

const SEED = Number(process.env.GREENLIGHT_SEED ?? 80_808);
const CLICKS = 40;
const USER = 'user:default/ana';
const CANARY_PATH = `/apis/flagger.app/v1beta1/namespaces/${NS}/canaries/chatbot`;
const EVENTS_PATH = `/api/v1/namespaces/${NS}/events`;
const FAULTS: (FaultKind | undefined)[] = ['error-500', 'throttle-429', 'lost-response', undefined];

let standIn: StandIn;
let proxy: FaultProxy;
let server: Awaited<ReturnType<typeof startBackend>>;
let backendIdentity: string;
const audit: AuditRecord[] = [];

beforeAll(async () => {
  standIn = await startStandIn();
  const kc = new KubeConfig();
  kc.loadFromString(standIn.api.kubeconfig());
  backendIdentity = (await createKubeClient(kc).whoAmI()).username;
  deployRevision('rev-0');
  await standIn.startTraffic();
  proxy = await startFaultProxy(standIn.api.url, SEED, {
    error500: 0,
    throttle429: 0,
    slow: 0,
    resetMidWatch: 0,
    gone410: 0,
  });
  const kubeconfig = join(mkdtempSync(join(tmpdir(), 'greenlight-faulted-backstage-')), 'kc');
  writeFileSync(kubeconfig, standIn.api.kubeconfig().replaceAll(standIn.api.url, proxy.url));
  server = await startBackend({
    kubeconfig,
    prometheusUrl: standIn.prometheus.url,
    entities: [entity('chatbot', { 'greenlight.dev/canary': `${NS}/chatbot` })],
    audit,
  });
});

afterAll(async () => {
  await proxy.close();
  await standIn.close();
});

function deployRevision(revision: string) {
  standIn.deploy({
    name: 'chatbot',
    phase: 'WaitingPromotion',
    greenWeight: 50,
    revision,
    promotedRevision: 'rev-base',
  });
}

function annotations(): Record<string, string> {
  const canary = standIn.api.store.get(
    { apiVersion: 'flagger.app/v1beta1', kind: 'Canary' },
    NS,
    'chatbot',
  );
  return (canary?.metadata.annotations ?? {}) as Record<string, string>;
}

function approvalEvents(revision: string): number {
  return standIn.api.store
    .list({ apiVersion: 'v1', kind: 'Event' }, { namespace: NS })
    .filter(
      (e) =>
        e.reason === 'PromotionApproved' &&
        String(e.message).includes(` approved promotion of revision ${revision} (analysis `),
    ).length;
}

test(`${CLICKS} approvals through 500s, 429s and lost responses on the writes: each answer is the truth (seed ${SEED})`, async () => {
  const random = seededRandom(SEED);
  const problems: string[] = [];
  const outcomes = { approved: 0, refused: 0, faults: 0, outages: 0 };
  for (let click = 1; click <= CLICKS; click++) {
    const revision = `rev-${click}`;
    deployRevision(revision);
    // Faults for this click's writes, in the order the writes arrive.
    const outage = random.next() < 0.2;
    const plan = outage
      ? Array.from({ length: 20 }, () => FAULTS[random.int(0, 2)])
      : Array.from({ length: 3 }, () => FAULTS[random.int(0, FAULTS.length - 1)]);
    let writes = 0;
    proxy.script((entry) => {
      const write =
        (entry.method === 'PATCH' && entry.path === CANARY_PATH) ||
        (entry.method === 'POST' && entry.path === EVENTS_PATH);
      return write ? plan[writes++] : undefined;
    });
    const auditBefore = audit.length;
    const res = await request(server)
      .post(`/api/greenlight/rollouts/${NS}/chatbot/approve`)
      .set('authorization', mockCredentials.user.header(USER))
      .send({ revision });
    proxy.script(undefined);
    outcomes.faults += plan.slice(0, writes).filter(Boolean).length;
    if (outage) outcomes.outages++;

    const marks = annotations();
    const events = approvalEvents(revision);
    const records = audit.slice(auditBefore);
    const said = `click ${click} (${plan.slice(0, writes).join(',')}): ${res.status} ${res.body?.error?.message ?? ''}`;
    if (res.status === 200) {
      outcomes.approved++;
      if (marks['greenlight.dev/approved-revision'] !== revision) problems.push(`${said}: lost`);
      // Who: the backend's identity as the API server authenticates it, and the signed-in
      // user it acted for beside it.
      if (marks['greenlight.dev/approved-by'] !== backendIdentity)
        problems.push(`${said}: wrong approver ${marks['greenlight.dev/approved-by']}`);
      if (marks['greenlight.dev/approved-note'] !== `backstage:${USER}`)
        problems.push(`${said}: wrong note ${marks['greenlight.dev/approved-note']}`);
      if (events > 1 || (events === 0 && !outage)) {
        problems.push(`${said}: ${events} PromotionApproved Events`);
      }
      const ok = records.filter((r) => r.outcome === 'success' && r.meta.revision === revision);
      if (ok.length !== 1 || records.length !== 1)
        problems.push(`${said}: audit ${JSON.stringify(records)}`);
    } else {
      outcomes.refused++;
      const message = String(res.body?.error?.message ?? '');
      if (res.status < 500) problems.push(`${said}: not a server error`);
      if (
        !/Canary openfaas-fn\/chatbot|Event/.test(message) ||
        !/greenlight\.clusters/.test(message)
      ) {
        problems.push(`${said}: unclear message`);
      }
      if (marks['greenlight.dev/approved-revision'] === revision) {
        problems.push(`${said}: approved although the answer was an error`);
      }
      if (records.length !== 1 || records[0]?.outcome !== 'fail') {
        problems.push(`${said}: audit ${JSON.stringify(records)}`);
      }
    }
  }
  if (process.env.GREENLIGHT_RELIABILITY_REPORT) {
    console.log(`backstage approvals (seed ${SEED}): ${JSON.stringify(outcomes)}`);
  }
  expect(problems).toEqual([]);
  // Both answers were put to the test, through plenty of faults.
  expect(outcomes.approved).toBeGreaterThan(CLICKS / 2);
  expect(outcomes.refused).toBeGreaterThan(0);
  expect(outcomes.faults).toBeGreaterThan(CLICKS);
}, 120_000);
