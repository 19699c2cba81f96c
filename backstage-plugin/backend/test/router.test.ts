import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mockCredentials } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import type {
  FleetResponse,
  MetricsResponse,
  RolloutResponse,
} from '@greenlight/backstage-plugin-greenlight-common';
import { startBackend, entity } from '@greenlight/test-kit/backstage/backend';
import { canaryEvent, NS, startStandIn } from '@greenlight/test-kit/cluster/backstage';
import type { StandIn } from '@greenlight/test-kit/cluster/backstage';

const ALICE = 'user:default/alice';
const entities = [
  entity('chatbot', { 'greenlight.dev/canary': `${NS}/chatbot` }),
  entity('faq-bot', { 'greenlight.dev/canary': `${NS}/faq-bot` }),
  // Annotated, but its chatbot was never deployed.
  entity('new-bot', { 'greenlight.dev/canary': `${NS}/new-bot` }),
];

let standIn: StandIn;
let server: Awaited<ReturnType<typeof startBackend>>;

beforeAll(async () => {
  standIn = await startStandIn();
  standIn.deploy({
    name: 'chatbot',
    phase: 'WaitingPromotion',
    greenWeight: 50,
    revision: 'c0ffee1',
    promotedRevision: 'beef001',
  });
  standIn.deploy({
    name: 'faq-bot',
    phase: 'Progressing',
    greenWeight: 20,
    revision: 'f00d002',
    promotedRevision: 'f00d001',
    failedChecks: 1,
  });
  // Not in the catalog: nobody's permissions apply to it.
  standIn.deploy({
    name: 'stray',
    phase: 'Succeeded',
    greenWeight: 0,
    revision: 'abc',
    promotedRevision: 'abc',
  });
  await standIn.startTraffic();
  standIn.api.store.put(
    canaryEvent(
      'chatbot',
      'a',
      'Synced',
      'New revision detected! Scaling up chatbot.openfaas-fn',
      '2026-01-10T10:00:00Z',
    ),
  );
  standIn.api.store.put(
    canaryEvent(
      'chatbot',
      'b',
      'Synced',
      'Advance chatbot.openfaas-fn canary weight 50',
      '2026-01-10T10:05:00Z',
    ),
  );
  standIn.api.store.put(
    canaryEvent('faq-bot', 'c', 'Synced', 'not about chatbot', '2026-01-10T10:06:00Z'),
  );
  server = await startBackend({
    kubeconfig: standIn.kubeconfig,
    prometheusUrl: standIn.prometheus.url,
    entities,
  });
});

afterAll(async () => {
  await standIn.close();
});

const asAlice = (req: request.Test) => req.set('authorization', mockCredentials.user.header(ALICE));

describe('GET /rollouts', () => {
  test('lists every cataloged Canary with its view and golden metrics, blue beside green', async () => {
    const res = await asAlice(request(server).get('/api/greenlight/rollouts'));
    expect(res.status).toBe(200);
    const body = res.body as FleetResponse;
    expect(body.items.map((item) => item.rollout.name)).toEqual(['chatbot', 'faq-bot']);
    expect(body.unlisted).toBe(1);
    expect(body.metricsSource).toBe('sandbox');
    expect(body.clusters).toEqual([{ cluster: 'sandbox', synced: true }]);
    const [chatbot] = body.items;
    expect(chatbot).toMatchObject({
      cluster: 'sandbox',
      entityRef: 'component:default/chatbot',
      rollout: {
        phase: 'WaitingPromotion',
        revision: 'c0ffee1',
        promotedRevision: 'beef001',
        weights: { blue: 50, green: 50, source: 'route' },
        waitingForApproval: true,
      },
    });
    expect(chatbot?.metrics?.blue.rps).toBeGreaterThan(0);
    expect(chatbot?.metrics?.green.successRate).toBeGreaterThan(90);
  });

  test('costs no Kubernetes request: it is answered from the watches', async () => {
    const before = standIn.api.requestLog.filter((entry) => !entry.watch).length;
    for (let i = 0; i < 5; i++) {
      await asAlice(request(server).get('/api/greenlight/rollouts')).expect(200);
    }
    expect(standIn.api.requestLog.filter((entry) => !entry.watch)).toHaveLength(before);
  });
});

describe('GET /rollouts/:namespace/:name', () => {
  test('shows one rollout with its history, newest first, and only its own Events', async () => {
    const res = await asAlice(request(server).get(`/api/greenlight/rollouts/${NS}/chatbot`));
    expect(res.status).toBe(200);
    const body = res.body as RolloutResponse;
    expect(body.rollout).toMatchObject({ name: 'chatbot', failedChecks: 0, threshold: 3 });
    expect(body.history.map((entry) => entry.message)).toEqual([
      'Advance chatbot.openfaas-fn canary weight 50',
      'New revision detected! Scaling up chatbot.openfaas-fn',
    ]);
    expect(body.freshness).toEqual({ cluster: 'sandbox', synced: true });
  });

  test('answers 404 with what to check for a Canary that is not deployed yet', async () => {
    const res = await asAlice(request(server).get(`/api/greenlight/rollouts/${NS}/new-bot`));
    expect(res.status).toBe(404);
    expect(res.body.error.message).toMatch(
      /there is no Canary openfaas-fn\/new-bot owned by component:default\/new-bot in cluster sandbox.*deploy it with owner component:default\/new-bot.*greenlight.dev\/canary/,
    );
  });

  test('refuses an entity that does not annotate the Canary', async () => {
    const res = await asAlice(
      request(server).get(
        `/api/greenlight/rollouts/${NS}/chatbot?entityRef=component:default/faq-bot`,
      ),
    );
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(
      /component:default\/faq-bot does not annotate Canary openfaas-fn\/chatbot/,
    );
  });

  test('refuses a Canary that no catalog entity annotates, naming the annotation to add', async () => {
    const res = await asAlice(request(server).get(`/api/greenlight/rollouts/${NS}/stray`));
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(/add "greenlight.dev\/canary: openfaas-fn\/stray"/);
  });
});

describe('GET /rollouts/:namespace/:name/metrics', () => {
  test('gives current values, a series over the window and the analysis thresholds', async () => {
    const res = await asAlice(
      request(server).get(`/api/greenlight/rollouts/${NS}/chatbot/metrics?window=5m`),
    );
    expect(res.status).toBe(200);
    const body = res.body as MetricsResponse;
    expect(body.source).toBe('sandbox');
    expect(body.current.window).toBe('5m');
    expect(body.current.green.p99Ms).toBeGreaterThan(0);
    expect(body.series.stepSeconds).toBe(15);
    expect(body.series.blue.rps.length).toBeGreaterThan(0);
    expect(body.thresholds).toEqual([
      { metric: 'request-success-rate', signal: 'successRate', min: 99, interval: '1m' },
      { metric: 'request-duration', signal: 'p99Ms', max: 500, interval: '1m' },
    ]);
  });
});

// Requests these routes refuse (no revision, another revision, bad JSON, a bad window, …) are
// in test/reliability/bad-inputs/backend-requests.cases.ts.
describe('POST /rollouts/:namespace/:name/approve and /abort', () => {
  test("approves the revision under analysis with the user's entity ref as the approval's note", async () => {
    const res = await asAlice(
      request(server)
        .post(`/api/greenlight/rollouts/${NS}/chatbot/approve`)
        .send({ revision: 'c0ffee1' }),
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ revision: 'c0ffee1', by: ALICE });
    const canary = standIn.api.store.get(
      { apiVersion: 'flagger.app/v1beta1', kind: 'Canary' },
      NS,
      'chatbot',
    );
    expect(canary?.metadata.annotations).toMatchObject({
      'greenlight.dev/approved-revision': 'c0ffee1',
      'greenlight.dev/approved-note': `backstage:${ALICE}`,
    });
    // approved-by is who the API server says wrote it: the backend, never a name it asserts.
    expect(canary?.metadata.annotations?.['greenlight.dev/approved-by']).not.toBe(ALICE);
    // The approval names the pod template Alice approved: another image under c0ffee1 is not it.
    expect(canary?.metadata.annotations?.['greenlight.dev/approved-template']).toMatch(
      /^sha256:[0-9a-f]{64}$/,
    );
    // The watch brings the approval into the next page view.
    await waitFor(async () => {
      const view = await asAlice(request(server).get(`/api/greenlight/rollouts/${NS}/chatbot`));
      return view.body.rollout.waitingForApproval === false;
    });
  });

  test('asks Flagger to roll back the run of the revision under analysis', async () => {
    const res = await asAlice(
      request(server)
        .post(`/api/greenlight/rollouts/${NS}/faq-bot/abort`)
        .send({ revision: 'f00d002' }),
    );
    expect(res.status).toBe(200);
    const canary = standIn.api.store.get(
      { apiVersion: 'flagger.app/v1beta1', kind: 'Canary' },
      NS,
      'faq-bot',
    );
    expect(canary?.metadata.annotations).toMatchObject({
      'greenlight.dev/abort-revision': 'f00d002',
      'greenlight.dev/abort-note': `backstage:${ALICE}`,
    });
    // ...that run only: a later deploy of f00d002 is not rolled back by it.
    const { conditions = [] } = (canary?.status ?? {}) as {
      conditions?: { type: string; lastTransitionTime?: string }[];
    };
    const run = conditions.find((c) => c.type === 'Promoted');
    expect(canary?.metadata.annotations?.['greenlight.dev/abort-analysis']).toBe(
      run?.lastTransitionTime,
    );
    expect(run?.lastTransitionTime).toBeTruthy();
  });

  test('accepts only people: a service cannot approve', async () => {
    const res = await request(server)
      .post(`/api/greenlight/rollouts/${NS}/chatbot/approve`)
      .set('authorization', mockCredentials.service.header())
      .send({ revision: 'c0ffee1' });
    expect(res.status).toBe(403);
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('the condition did not hold in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export { AuthorizeResult };
