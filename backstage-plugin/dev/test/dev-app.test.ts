// The dev app as `npm start` runs it, without a browser (the browser test is in the e2e
// tier: test/e2e/scenarios/backstage.test.ts): the bundle and the app's routes are served,
// the catalog holds the annotated chatbot, the guest sign-in gives a user token, and an
// approval sent with it names that user; the guest, owner of the chatbot, is notified that its
// rollout waits (Backstage's notifications backend). Against the backend tests' stand-in cluster.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NS, startStandIn, type StandIn } from '@greenlight/test-kit/cluster/backstage';
import { startDevApp, type DevApp } from '../src/start.ts';

let standIn: StandIn;
let app: DevApp;

beforeAll(async () => {
  standIn = await startStandIn();
  standIn.deploy({
    name: 'chatbot',
    phase: 'WaitingPromotion',
    greenWeight: 50,
    revision: 'v2',
    promotedRevision: 'v1',
  });
  await standIn.startTraffic();
  app = await startDevApp({
    kubeconfig: standIn.kubeconfig,
    prometheusUrl: standIn.prometheus.url,
    metricsSource: 'sandbox',
    logFile: join(mkdtempSync(join(tmpdir(), 'greenlight-dev-app-')), 'backstage.log'),
  });
}, 120_000);

afterAll(async () => {
  await app?.stop();
  await standIn?.close();
});

async function guestToken(): Promise<string> {
  const res = await fetch(`${app.url}/api/auth/guest/refresh`, {
    method: 'POST',
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { backstageIdentity: { token: string } };
  return body.backstageIdentity.token;
}

/** The catalog reads its file a moment after start: asks until the entity is there. */
async function catalogEntity(token: string): Promise<Response> {
  const url = `${app.url}/api/catalog/entities/by-name/component/default/chatbot`;
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
    if (res.status !== 404 || attempt === 100) return res;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

test('serves the bundled app at every page path, the sign-in page included', async () => {
  const page = await fetch(app.rolloutUrl('chatbot'));
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(html).toContain('<div id="root"></div>');
  const script = await fetch(`${app.url}/index.js`);
  expect(script.status).toBe(200);
  expect(script.headers.get('content-type')).toMatch(/javascript/);
});

test("tells the chatbot's owner, the guest, through Backstage's notifications that its rollout waits for approval", async () => {
  const token = await guestToken();
  const list = async () => {
    const res = await fetch(`${app.url}/api/notifications/notifications`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { notifications: { payload: Record<string, string> }[] })
      .notifications;
  };
  for (let attempt = 0; (await list()).length === 0 && attempt < 100; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const [notice, ...more] = await list();
  expect(more).toEqual([]);
  expect(notice?.payload).toMatchObject({
    title: 'chatbot revision v2 waits for approval',
    link: '/catalog/default/component/chatbot/rollout',
    severity: 'high',
  });
  // The notifications page of the bundled app.
  expect((await fetch(`${app.url}/notifications`)).status).toBe(200);
});

test('signs in as guest, finds the chatbot in the catalog, and approves its rollout as that user', async () => {
  const token = await guestToken();
  const entity = await catalogEntity(token);
  expect(entity.status).toBe(200);
  expect(await entity.json()).toMatchObject({
    metadata: { annotations: { 'greenlight.dev/canary': `${NS}/chatbot` } },
  });

  const unsigned = await fetch(`${app.url}/api/greenlight/rollouts/${NS}/chatbot/approve`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ revision: 'v2' }),
  });
  expect(unsigned.status).toBe(401);

  const approved = await fetch(`${app.url}/api/greenlight/rollouts/${NS}/chatbot/approve`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ revision: 'v2', entityRef: 'component:default/chatbot' }),
  });
  expect(approved.status).toBe(200);
  expect(await approved.json()).toMatchObject({ revision: 'v2', by: 'user:development/guest' });
  const canary = standIn.api.store.get(
    { apiVersion: 'flagger.app/v1beta1', kind: 'Canary' },
    NS,
    'chatbot',
  );
  expect(canary?.metadata.annotations).toMatchObject({
    'greenlight.dev/approved-revision': 'v2',
    // The signed-in user is the note; approved-by is the backend's Kubernetes identity.
    'greenlight.dev/approved-note': 'backstage:user:development/guest',
  });
});
