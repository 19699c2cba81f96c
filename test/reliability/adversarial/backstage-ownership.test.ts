// Mallory against the Backstage backend, over HTTP, with the sandbox's Kubernetes API behind
// it. She owns the catalog entity component:default/mallory-bot (she may edit its
// catalog-info.yaml, and the permission policy grants her greenlight.rollout.* on it, as
// catalogConditions.isEntityOwner would), and she can deploy to the staging cluster. She
// wants to approve or roll back the chatbot team's Canary, or at least learn which Canaries
// exist. Each attack worked before Canaries named their owner (issue 12).
import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import {
  entity,
  startTwoClusterBackend,
  type Policy,
} from '@greenlight/test-kit/backstage/backend';
import { NS, startStandIn, type StandIn } from '@greenlight/test-kit/cluster/backstage';

const MALLORY = 'user:default/mallory';
const ALICE = 'user:default/alice';
const EVE = 'user:default/eve';
const OPS = 'user:default/ops';
const CANARY = { apiVersion: 'flagger.app/v1beta1', kind: 'Canary' };
const MARKS = /^greenlight\.dev\/(approved|abort)-/;

const TEAMS: Record<string, string[]> = {
  [MALLORY]: ['component:default/mallory-bot', 'component:default/mallory-probe'],
  [ALICE]: ['component:default/chatbot', 'component:default/orders-bot'],
  [EVE]: [],
  // The payments team, who sees when their Canary is gone.
  [OPS]: ['component:default/payments-bot'],
};
const policy: Policy = (user, _permission, ref) => (TEAMS[user] ?? []).includes(ref ?? '');

let production: StandIn;
let staging: StandIn;
let server: Awaited<ReturnType<typeof startTwoClusterBackend>>;

const held = (name: string, revision: string) => ({
  name,
  phase: 'WaitingPromotion',
  greenWeight: 50,
  revision,
  promotedRevision: 'base',
});

beforeAll(async () => {
  [production, staging] = await Promise.all([startStandIn(), startStandIn()]);
  production.deploy(held('chatbot', 'c0ffee1'));
  production.deploy(held('payments-bot', 'p0001'));
  // Mallory's copy in staging names the chatbot team's orders-bot as owner; production has
  // no orders-bot Canary yet.
  staging.deploy({ ...held('orders-bot', 'evil'), owner: 'component:default/orders-bot' });
  server = await startTwoClusterBackend(production, staging, {
    policy,
    entities: [
      // Mallory's entity claims the chatbot's Canary, and sorts first in the catalog.
      entity('mallory-bot', { 'greenlight.dev/canary': `${NS}/chatbot` }),
      entity('chatbot', { 'greenlight.dev/canary': `${NS}/chatbot` }),
      entity('mallory-probe', { 'greenlight.dev/canary': `${NS}/payments-bot` }),
      entity('payments-bot', { 'greenlight.dev/canary': `${NS}/payments-bot` }),
      entity('orders-bot', { 'greenlight.dev/canary': `${NS}/orders-bot` }),
    ],
  });
});

afterAll(async () => {
  await Promise.all([production.close(), staging.close()]);
});

const as = (user: string, req: request.Test) =>
  req.set('authorization', mockCredentials.user.header(user));

function marksOn(standIn: StandIn, name: string): string[] {
  const annotations = standIn.api.store.get(CANARY, NS, name)?.metadata.annotations ?? {};
  return Object.keys(annotations).filter((key) => MARKS.test(key));
}

describe("Mallory's entity annotated with the chatbot team's Canary", () => {
  test.each([
    ['sending her entity as entityRef', { entityRef: 'component:default/mallory-bot' }],
    ['sending no entityRef (her entity comes first in the catalog)', {}],
  ])('approves and aborts nothing, %s', async (_how, extra) => {
    const writesBefore = production.api.writes().length;
    for (const verb of ['approve', 'abort']) {
      const res = await as(
        MALLORY,
        request(server)
          .post(`/api/greenlight/rollouts/${NS}/chatbot/${verb}`)
          .send({ revision: 'c0ffee1', ...extra }),
      );
      expect(res.status).toBe(404);
      expect(res.body.error.message).toMatch(
        /there is no Canary openfaas-fn\/chatbot owned by component:default\/mallory-bot/,
      );
    }
    expect(production.api.writes()).toHaveLength(writesBefore);
    expect(marksOn(production, 'chatbot')).toEqual([]);
  });

  test('shows her neither the rollout nor its metrics, and the fleet leaves it out', async () => {
    for (const path of [`/rollouts/${NS}/chatbot`, `/rollouts/${NS}/chatbot/metrics`]) {
      const res = await as(
        MALLORY,
        request(server).get(`/api/greenlight${path}?entityRef=component:default/mallory-bot`),
      );
      expect(res.status).toBe(404);
    }
    const fleet = await as(MALLORY, request(server).get('/api/greenlight/rollouts'));
    expect(
      fleet.body.items.map((item: { rollout: { name: string } }) => item.rollout.name),
    ).toEqual([]);
  });
});

describe('a Canary in the second cluster posing as an entity that names no cluster', () => {
  test("is not shown on orders-bot's page, nor approved by Alice's click on it", async () => {
    const page = await as(ALICE, request(server).get(`/api/greenlight/rollouts/${NS}/orders-bot`));
    expect(page.status).toBe(404);
    const writesBefore = staging.api.writes().length;
    const approve = await as(
      ALICE,
      request(server)
        .post(`/api/greenlight/rollouts/${NS}/orders-bot/approve`)
        .send({ revision: 'evil', entityRef: 'component:default/orders-bot' }),
    );
    expect(approve.status).toBe(404);
    expect(staging.api.writes()).toHaveLength(writesBefore);
    expect(marksOn(staging, 'orders-bot')).toEqual([]);
    const fleet = await as(ALICE, request(server).get('/api/greenlight/rollouts'));
    expect(fleet.body.items.map((item: { cluster: string }) => item.cluster)).not.toContain(
      'staging',
    );
  });
});

describe('probing whether a Canary exists', () => {
  // The same requests, while payments-bot's Canary exists and after it is deleted.
  const probes = [
    { user: EVE, method: 'post', path: `/rollouts/${NS}/payments-bot/approve`, body: {} },
    { user: EVE, method: 'post', path: `/rollouts/${NS}/payments-bot/abort`, body: {} },
    { user: EVE, method: 'get', path: `/rollouts/${NS}/payments-bot`, body: undefined },
    { user: EVE, method: 'get', path: `/rollouts/${NS}/payments-bot/metrics`, body: undefined },
    {
      user: MALLORY,
      method: 'post',
      path: `/rollouts/${NS}/payments-bot/approve`,
      body: { entityRef: 'component:default/mallory-probe' },
    },
    {
      user: MALLORY,
      method: 'get',
      path: `/rollouts/${NS}/payments-bot?entityRef=component:default/mallory-probe`,
      body: undefined,
    },
  ] as const;

  async function answers(): Promise<string[]> {
    const said: string[] = [];
    for (const probe of probes) {
      const url = `/api/greenlight${probe.path}`;
      const call =
        probe.method === 'get'
          ? request(server).get(url)
          : request(server)
              .post(url)
              .send({ revision: 'p0001', ...probe.body });
      const res = await as(probe.user, call);
      said.push(
        `${probe.user} ${probe.method} ${probe.path}: ${res.status} ${res.body.error?.message}`,
      );
    }
    return said;
  }

  test('gets the same answers for an existing Canary and a missing one', async () => {
    const whileItExists = await answers();
    expect(
      whileItExists.slice(0, 4).every((line) => / 403 you lack the permission/.test(line)),
    ).toBe(true);
    production.api.store.delete(CANARY, NS, 'payments-bot');
    await waitUntilGone('payments-bot');
    expect(await answers()).toEqual(whileItExists);
  });
});

/** Waits until the backend no longer lists the Canary (its watch saw the deletion). */
async function waitUntilGone(name: string): Promise<void> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const res = await as(OPS, request(server).get(`/api/greenlight/rollouts/${NS}/${name}`));
    if (res.status === 404) return;
    if (Date.now() > deadline) throw new Error(`the backend still shows ${name}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
