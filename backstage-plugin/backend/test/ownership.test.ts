// One owner per Canary: an entity's greenlight.dev/canary counts only where the Canary's
// greenlight.dev/owner names that entity back; an entity without greenlight.dev/cluster means
// the first configured cluster. The attacks on these rules, tried as a user would, are in
// test/reliability/adversarial/backstage-ownership.test.ts.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import type {
  FleetResponse,
  RolloutResponse,
} from '@greenlight/backstage-plugin-greenlight-common';
import { entity, startTwoClusterBackend } from '@greenlight/test-kit/backstage/backend';
import type { Policy } from '@greenlight/test-kit/backstage/backend';
import { NS, startStandIn } from '@greenlight/test-kit/cluster/backstage';
import type { StandIn } from '@greenlight/test-kit/cluster/backstage';

const ALICE = 'user:default/alice';
const CANARY = { apiVersion: 'flagger.app/v1beta1', kind: 'Canary' };

// Each user may act on the entities of their team, as catalogConditions.isEntityOwner grants.
const TEAMS: Record<string, string[]> = {
  [ALICE]: [
    'component:default/chatbot',
    'component:default/legacy-bot',
    'component:default/edge-bot',
  ],
};
const policy: Policy = (user, _permission, resourceRef) =>
  (TEAMS[user] ?? []).includes(resourceRef ?? '');

let production: StandIn;
let staging: StandIn;
let server: Awaited<ReturnType<typeof startTwoClusterBackend>>;

beforeAll(async () => {
  [production, staging] = await Promise.all([startStandIn(), startStandIn()]);
  production.deploy({
    name: 'chatbot',
    phase: 'WaitingPromotion',
    greenWeight: 50,
    revision: 'c0ffee1',
    promotedRevision: 'beef001',
  });
  // Deployed before Canaries recorded their owner.
  production.deploy({
    name: 'legacy-bot',
    phase: 'WaitingPromotion',
    greenWeight: 50,
    revision: 'l0001',
    promotedRevision: 'l0000',
    owner: null,
  });
  // Only in the second cluster.
  staging.deploy({
    name: 'edge-bot',
    phase: 'WaitingPromotion',
    greenWeight: 50,
    revision: 'e0001',
    promotedRevision: 'e0000',
  });
  server = await startTwoClusterBackend(production, staging, {
    policy,
    entities: [
      // Another entity claims the chatbot's Canary, and comes first in the catalog.
      entity('copycat', { 'greenlight.dev/canary': `${NS}/chatbot` }),
      entity('chatbot', { 'greenlight.dev/canary': `${NS}/chatbot` }),
      entity('legacy-bot', { 'greenlight.dev/canary': `${NS}/legacy-bot` }),
      entity('legacy-fork', { 'greenlight.dev/canary': `${NS}/legacy-bot` }),
      entity('edge-bot', { 'greenlight.dev/canary': `${NS}/edge-bot` }),
    ],
  });
});

afterAll(async () => {
  await Promise.all([production.close(), staging.close()]);
});

const asAlice = (req: request.Test) => req.set('authorization', mockCredentials.user.header(ALICE));

describe('the owner the Canary names decides', () => {
  test('the fleet lists a Canary under its owner, with every entity that claims it', async () => {
    const res = await asAlice(request(server).get('/api/greenlight/rollouts'));
    const body = res.body as FleetResponse;
    const chatbot = body.items.find((item) => item.rollout.name === 'chatbot');
    expect(chatbot).toMatchObject({
      cluster: 'production',
      entityRef: 'component:default/chatbot',
      ownership: {
        owner: 'component:default/chatbot',
        claimants: ['component:default/copycat', 'component:default/chatbot'],
      },
    });
  });

  test('approving without an entityRef checks the owner, not the first claimant in the catalog', async () => {
    const res = await asAlice(
      request(server)
        .post(`/api/greenlight/rollouts/${NS}/chatbot/approve`)
        .send({ revision: 'c0ffee1' }),
    );
    expect([res.status, res.body.error?.message]).toEqual([200, undefined]);
    expect(production.api.store.get(CANARY, NS, 'chatbot')?.metadata.annotations).toMatchObject({
      'greenlight.dev/approved-revision': 'c0ffee1',
      'greenlight.dev/approved-note': `backstage:${ALICE}`,
    });
  });
});

describe('a Canary that names no owner', () => {
  test('is shown read-only, saying it is unowned and who claims it', async () => {
    const res = await asAlice(request(server).get(`/api/greenlight/rollouts/${NS}/legacy-bot`));
    expect(res.status).toBe(200);
    expect((res.body as RolloutResponse).ownership).toEqual({
      owner: null,
      claimants: ['component:default/legacy-bot', 'component:default/legacy-fork'],
    });
    const fleet = await asAlice(request(server).get('/api/greenlight/rollouts'));
    const item = (fleet.body as FleetResponse).items.find((i) => i.rollout.name === 'legacy-bot');
    expect(item?.ownership.owner).toBeNull();
  });

  test('is refused for approve and abort, naming its claimants and how to set the owner', async () => {
    const writesBefore = production.api.writes().length;
    for (const verb of ['approve', 'abort']) {
      const res = await asAlice(
        request(server)
          .post(`/api/greenlight/rollouts/${NS}/legacy-bot/${verb}`)
          .send({ revision: 'l0001', entityRef: 'component:default/legacy-bot' }),
      );
      expect(res.status).toBe(403);
      expect(res.body.error.message).toMatch(
        /Canary openfaas-fn\/legacy-bot in cluster "production" has no owner.*component:default\/legacy-bot, component:default\/legacy-fork all claim it.*"owner" input, "greenlight render --owner", or the chatbot chart's "owner" value/,
      );
    }
    expect(production.api.writes()).toHaveLength(writesBefore);
  });
});

describe('an entity without greenlight.dev/cluster', () => {
  test('means the first configured cluster only: a Canary of its name in the second is not its', async () => {
    const view = await asAlice(request(server).get(`/api/greenlight/rollouts/${NS}/edge-bot`));
    expect(view.status).toBe(404);
    expect(view.body.error.message).toMatch(
      /owned by component:default\/edge-bot in cluster production/,
    );
    const writesBefore = staging.api.writes().length;
    const approve = await asAlice(
      request(server)
        .post(`/api/greenlight/rollouts/${NS}/edge-bot/approve`)
        .send({ revision: 'e0001' }),
    );
    expect(approve.status).toBe(404);
    expect(staging.api.writes()).toHaveLength(writesBefore);
    const fleet = await asAlice(request(server).get('/api/greenlight/rollouts'));
    const body = fleet.body as FleetResponse;
    expect(body.items.map((item) => `${item.cluster}/${item.rollout.name}`)).not.toContain(
      'staging/edge-bot',
    );
  });
});
