// POST /rollouts/:namespace/:name/rollback in Backstage's test backend against the API
// stand-in: behind greenlight.rollout.rollback on the Canary's owning entity, checked
// before anything is read; the target goes back to the recorded revision, audited with the
// signed-in user; refusals say why and change nothing.
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import type { V1Deployment } from '@kubernetes/client-node';
import type { Canary } from 'flagger-types';
import type { MarkResponse, RolloutResponse } from '@greenlight/backstage-plugin-greenlight-common';
import {
  entity,
  startBackend,
  type AuditRecord,
  type Policy,
} from '@greenlight/test-kit/backstage/backend';
import { NS, startStandIn, type StandIn } from '@greenlight/test-kit/cluster/backstage';

const ALICE = 'user:default/alice';
const BOB = 'user:default/bob';
const entities = [
  entity('chatbot', { 'greenlight.dev/canary': `${NS}/chatbot` }),
  entity('faq-bot', { 'greenlight.dev/canary': `${NS}/faq-bot` }),
  // Claims the chatbot's Canary, which names another owner.
  entity('impostor', { 'greenlight.dev/canary': `${NS}/chatbot` }),
];
// Alice may roll back (and read) her team's entities; Bob may only read them.
const policy: Policy = (user, permission, ref) =>
  (user === ALICE &&
    [
      'component:default/chatbot',
      'component:default/faq-bot',
      'component:default/impostor',
    ].includes(ref ?? '')) ||
  (user === BOB && permission === 'greenlight.rollout.read');

const history = (...revisions: string[]) =>
  JSON.stringify(
    revisions.map((revision) => ({
      revision,
      images: { fn: `ghcr.io/acme/chatbot:${revision}` },
      at: '2026-01-09T09:00:00.000Z',
    })),
  );

let standIn: StandIn;
let server: Awaited<ReturnType<typeof startBackend>>;
const audit: AuditRecord[] = [];

beforeAll(async () => {
  standIn = await startStandIn();
  standIn.deploy({
    name: 'chatbot',
    phase: 'Succeeded',
    greenWeight: 0,
    revision: 'v2',
    promotedRevision: 'v2',
    annotations: { 'greenlight.dev/promoted-history': history('v1') },
  });
  standIn.deploy({
    name: 'faq-bot',
    phase: 'Succeeded',
    greenWeight: 0,
    revision: 'f1',
    promotedRevision: 'f1',
  });
  await standIn.startTraffic();
  server = await startBackend({
    kubeconfig: standIn.kubeconfig,
    prometheusUrl: standIn.prometheus.url,
    entities,
    policy,
    audit,
  });
});
afterAll(() => standIn.close());

const read = <T>(kind: string, name: string) =>
  standIn.api.store.get(
    { apiVersion: kind === 'Canary' ? 'flagger.app/v1beta1' : 'apps/v1', kind },
    NS,
    name,
  ) as T | undefined;
const post = (name: string, user: string, body: object) =>
  request(server)
    .post(`/api/greenlight/rollouts/${NS}/${name}/rollback`)
    .set('Authorization', mockCredentials.user.header(user))
    .send(body);

test('the rollout names the revision to roll back to', async () => {
  const res = await request(server)
    .get(`/api/greenlight/rollouts/${NS}/chatbot`)
    .set('Authorization', mockCredentials.user.header(BOB));
  expect(res.status).toBe(200);
  expect((res.body as RolloutResponse).rollout.rollbackTo).toEqual({
    revision: 'v1',
    at: '2026-01-09T09:00:00.000Z',
    images: { fn: 'ghcr.io/acme/chatbot:v1' },
  });
});

test('without the permission, or from an entity the Canary does not name, nothing is rolled back', async () => {
  const denied = await post('chatbot', BOB, { revision: 'v1' });
  expect(denied.status).toBe(403);
  expect(denied.body.error.message).toMatch(
    /you lack the permission greenlight.rollout.rollback on any of component:default\/chatbot, component:default\/impostor, which brings back earlier revisions of Canary/,
  );
  const impostor = await post('chatbot', ALICE, {
    revision: 'v1',
    entityRef: 'component:default/impostor',
  });
  // The Canary names another owner: for this entity it is as if it did not exist.
  expect(impostor.status).toBe(404);
  expect(
    read<V1Deployment>('Deployment', 'chatbot')?.spec?.template.metadata?.annotations?.[
      'greenlight.dev/revision'
    ],
  ).toBe('v2');
});

test('refuses what was never promoted, and a missing revision; 409 and 400 say why', async () => {
  const unknown = await post('chatbot', ALICE, { revision: 'v0' });
  expect(unknown.status).toBe(409);
  expect(unknown.body.error.message).toMatch(
    /revision v0 was never recorded as promoted on Canary openfaas-fn\/chatbot/,
  );
  const none = await post('faq-bot', ALICE, { revision: 'f0' });
  expect(none.status).toBe(409);
  expect(none.body.error.message).toMatch(
    /revision f0 was never recorded as promoted.*No earlier revision is recorded/,
  );
  const missing = await post('chatbot', ALICE, {});
  expect(missing.status).toBe(400);
  expect(missing.body.error.message).toMatch(/say which revision to roll back to/);
});

test('rolls back to the revision the button named, audited with the signed-in user', async () => {
  const res = await post('chatbot', ALICE, {
    revision: 'v1',
    entityRef: 'component:default/chatbot',
  });
  expect(res.status).toBe(200);
  const body = res.body as MarkResponse;
  expect(body).toMatchObject({ revision: 'v1', by: ALICE });
  const target = read<V1Deployment>('Deployment', 'chatbot');
  expect(target?.spec?.template.metadata?.annotations?.['greenlight.dev/revision']).toBe('v1');
  expect(target?.spec?.template.spec?.containers[0]?.image).toBe('ghcr.io/acme/chatbot:v1');
  const canary = read<Canary>('Canary', 'chatbot');
  expect(canary?.metadata.annotations).toMatchObject({
    'greenlight.dev/rollback-revision': 'v1',
    'greenlight.dev/rollback-from': 'v2',
    'greenlight.dev/rollback-note': `backstage:${ALICE}`,
  });
  // Always analysed: a button never skips.
  expect(canary?.spec.skipAnalysis).toBeUndefined();
  expect(audit.filter((r) => r.eventId === 'rollout-rollback').map((r) => r.outcome)).toEqual([
    'fail',
    'fail',
    'fail',
    'fail',
    'fail',
    'success',
  ]);
  expect(audit.at(-1)?.meta).toMatchObject({
    revision: 'v1',
    by: ALICE,
    entityRef: 'component:default/chatbot',
  });
});
