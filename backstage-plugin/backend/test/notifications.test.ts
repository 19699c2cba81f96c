import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { Entity } from '@backstage/catalog-model';
import { mockCredentials } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { Knex } from 'knex';
import request from 'supertest';
import { inMemoryKnex } from '@greenlight/backstage-plugin-greenlight-dev/node-sqlite';
import { entity, startBackendInstance } from '@greenlight/test-kit/backstage/backend';
import { canaryOf, NS, startStandIn } from '@greenlight/test-kit/cluster/backstage';
import type { ChatbotSpec, StandIn } from '@greenlight/test-kit/cluster/backstage';
import { greenlightNotificationsModule } from '../src/index.ts';

// Backstage notifications of rollouts through Backstage's own notifications backend in the
// test backend, read back through its REST API as each user: it resolves the owners of the
// Canary's entity from the catalog (ownedBy a group, the group's members). The database
// (SQLite on node:sqlite, as the dev app runs it) outlives one backend: a second backend on
// it is a restart.

const ALICE = 'user:default/alice';
const MALLORY = 'user:default/mallory';
const TAB = '/catalog/default/component/chatbot/rollout';

const owned = (e: Entity, owner: string): Entity => ({
  ...e,
  relations: [{ type: 'ownedBy', targetRef: owner }],
});
const catalog: Entity[] = [
  owned(entity('chatbot', { 'greenlight.dev/canary': `${NS}/chatbot` }), 'group:default/team-bots'),
  // Claims the Canary lonely-bot, which names no owner.
  owned(
    entity('lonely-bot', { 'greenlight.dev/canary': `${NS}/lonely-bot` }),
    'group:default/team-bots',
  ),
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'team-bots', namespace: 'default' },
    spec: { type: 'team', children: [] },
    relations: [{ type: 'hasMember', targetRef: ALICE }],
  },
  ...['alice', 'mallory'].map((name) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name, namespace: 'default' },
    spec: {},
  })),
];

const chatbot = (spec: Partial<ChatbotSpec>, name = 'chatbot'): ChatbotSpec => ({
  name,
  phase: 'Progressing',
  greenWeight: 10,
  revision: 'c0ffee1',
  promotedRevision: 'beef001',
  ...spec,
});

let standIn: StandIn;
let database: Knex;
let backend: Awaited<ReturnType<typeof startBackendInstance>>;

/** Deploys `spec` and writes its Canary's status as Flagger would (the /status subresource). */
function rollout(spec: ChatbotSpec): void {
  standIn.deploy(spec);
  standIn.api.store.putStatus(canaryOf(spec));
}

const start = () =>
  startBackendInstance({
    kubeconfig: standIn.kubeconfig,
    prometheusUrl: standIn.prometheus.url,
    entities: catalog,
    database,
    config: { notifications: { intervalSeconds: 0.2 } },
    rootConfig: { app: { baseUrl: 'http://localhost:3000' } },
    features: [
      // CommonJS: to an ES module, its module.exports is the default export.
      import('@backstage/plugin-notifications-backend').then((m) => m.default),
      greenlightNotificationsModule,
      catalogServiceMock.factory({ entities: catalog }),
    ],
  });

interface Listed {
  id: string;
  origin: string;
  read?: string | null;
  payload: {
    title: string;
    description?: string;
    link?: string;
    severity: string;
    topic?: string;
    scope?: string;
  };
}

/** `user`'s notifications, as the notifications page asks for them. */
async function notificationsOf(user: string): Promise<Listed[]> {
  const res = await request(backend.server)
    .get('/api/notifications/notifications')
    .set('Authorization', mockCredentials.user.header(user));
  expect(res.status).toBe(200);
  return res.body.notifications as Listed[];
}

async function eventually(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('the condition did not hold in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Long enough for several rounds (0.2 s each) to have looked at the rollouts. */
const rounds = () => new Promise((resolve) => setTimeout(resolve, 1500));

beforeAll(async () => {
  standIn = await startStandIn();
  rollout(chatbot({}));
  rollout(chatbot({ phase: 'WaitingPromotion', greenWeight: 50, owner: null }, 'lonely-bot'));
  await standIn.startTraffic();
  database = inMemoryKnex();
  backend = await start();
});

afterAll(async () => {
  await backend.stop();
  await database.destroy();
  await standIn.close();
});

describe('Backstage notifications', () => {
  test("tell the owners of the Canary's entity that its rollout waits for approval, linking the Rollout tab", async () => {
    await rounds();
    expect(await notificationsOf(ALICE)).toEqual([]);
    rollout(chatbot({ phase: 'WaitingPromotion', greenWeight: 50 }));
    await eventually(async () => (await notificationsOf(ALICE)).length > 0);
    const [notice, ...more] = await notificationsOf(ALICE);
    expect(more).toEqual([]);
    expect(notice!.origin).toBe('plugin:greenlight');
    expect(notice!.payload).toMatchObject({
      title: 'chatbot revision c0ffee1 waits for approval',
      link: TAB,
      severity: 'high',
      topic: `greenlight:sandbox/${NS}/chatbot`,
      scope: `greenlight:sandbox/${NS}/chatbot/c0ffee1/2026-01-10T10:00:00Z`,
    });
    expect(notice!.payload.description).toMatch(/c0ffee1.*\(cluster sandbox\)$/);
  });

  test('reach no one outside the owners, and nobody for a Canary that names no owner', async () => {
    expect(await notificationsOf(MALLORY)).toEqual([]);
    expect(JSON.stringify(await notificationsOf(ALICE))).not.toContain('lonely-bot');
  });

  test('are sent once per transition, across a restart', async () => {
    const [notice] = await notificationsOf(ALICE);
    // Read: a second send of the same scope would mark it unread again.
    const read = await request(backend.server)
      .post('/api/notifications/notifications/update')
      .set('Authorization', mockCredentials.user.header(ALICE))
      .send({ ids: [notice!.id], read: true });
    expect(read.status).toBe(200);
    await rounds();
    await backend.stop();
    backend = await start();
    await rounds();
    const after = await notificationsOf(ALICE);
    expect(after).toHaveLength(1);
    expect(after[0]!.read).toBeTruthy();
  });

  test('say the outcome when Flagger promotes, in place of the waiting notice, marked unread', async () => {
    rollout(chatbot({ phase: 'Succeeded', greenWeight: 0, promotedRevision: 'c0ffee1' }));
    await eventually(async () =>
      (await notificationsOf(ALICE))[0]!.payload.title.endsWith('was promoted'),
    );
    const [notice, ...more] = await notificationsOf(ALICE);
    expect(more).toEqual([]);
    expect(notice!.read).toBeFalsy();
    expect(notice!.payload).toMatchObject({
      title: 'chatbot revision c0ffee1 was promoted',
      link: TAB,
      severity: 'normal',
    });
  });

  test('say when Flagger rolls a rollout back, as a new notice for the new rollout', async () => {
    rollout(chatbot({ revision: 'd00d002', promotedRevision: 'c0ffee1' }));
    await rounds();
    rollout(
      chatbot({
        phase: 'Failed',
        greenWeight: 0,
        revision: 'd00d002',
        promotedRevision: 'c0ffee1',
        failedChecks: 3,
      }),
    );
    await eventually(async () => (await notificationsOf(ALICE)).length === 2);
    const failed = (await notificationsOf(ALICE)).find((n) => n.payload.title.includes('d00d002'));
    expect(failed!.payload).toMatchObject({
      title: 'chatbot revision d00d002 was rolled back',
      link: TAB,
      severity: 'high',
    });
    await rounds();
    expect(await notificationsOf(ALICE)).toHaveLength(2);
    expect(await notificationsOf(MALLORY)).toEqual([]);
  });
});

describe('without the notifications backend', () => {
  test('the module does not stop the backend: rollouts are still served', async () => {
    const alone = await startBackendInstance({
      kubeconfig: standIn.kubeconfig,
      prometheusUrl: standIn.prometheus.url,
      entities: catalog,
      database: inMemoryKnex(),
      config: { notifications: { intervalSeconds: 0.2 } },
      features: [greenlightNotificationsModule, catalogServiceMock.factory({ entities: catalog })],
    });
    try {
      await rounds();
      const res = await request(alone.server)
        .get(`/api/greenlight/rollouts/${NS}/chatbot?entityRef=component:default/chatbot`)
        .set('Authorization', mockCredentials.user.header(ALICE));
      expect(res.status).toBe(200);
    } finally {
      await alone.stop();
    }
  });
});
