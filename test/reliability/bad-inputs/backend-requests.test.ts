// Runs backend-requests.cases.ts against the plugin in Backstage's test backend
// (startTestBackend, as backstage-plugin/backend's own tests start it), signed in as a user
// with every permission, on the API stand-in: each request gets its status and a message
// naming what is wrong and what to send; the stand-in's request log shows no write.
import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import { entity, startBackend } from '@greenlight/test-kit/backstage/backend';
import { NS, startStandIn, type StandIn } from '@greenlight/test-kit/cluster/backstage';
import { BACKEND_CASES, BACKEND_CLUSTER } from './backend-requests.cases.ts';
import { missing } from './expect-error.ts';

const USER = 'user:default/ana';
let standIn: StandIn;
let server: Awaited<ReturnType<typeof startBackend>>;

beforeAll(async () => {
  standIn = await startStandIn();
  const { chatbot, held } = BACKEND_CLUSTER;
  standIn.deploy({
    name: 'chatbot',
    phase: 'WaitingPromotion',
    greenWeight: 50,
    revision: chatbot.revision,
    promotedRevision: chatbot.promoted,
  });
  standIn.deploy({
    name: held.name,
    phase: 'Progressing',
    greenWeight: 10,
    revision: held.revision,
    promotedRevision: held.promoted,
    annotations: {
      'greenlight.dev/abort-revision': held.revision,
      'greenlight.dev/abort-by': 'user:default/bo',
    },
  });
  await standIn.startTraffic();
  server = await startBackend({
    kubeconfig: standIn.kubeconfig,
    prometheusUrl: standIn.prometheus.url,
    entities: [
      entity('chatbot', { 'greenlight.dev/canary': `${NS}/chatbot` }),
      entity(held.name, { 'greenlight.dev/canary': `${NS}/${held.name}` }),
    ],
  });
});

afterAll(() => standIn.close());

test.each(BACKEND_CASES)('$name: $status, naming what is wrong and what to send', async (row) => {
  const writesBefore = standIn.api.writes().length;
  const url = `/api/greenlight${row.path}`;
  let call = (row.method === 'GET' ? request(server).get(url) : request(server).post(url)).set(
    'authorization',
    mockCredentials.user.header(USER),
  );
  if (row.raw !== undefined) call = call.set('content-type', 'application/json').send(row.raw);
  else if (row.body !== undefined) call = call.send(row.body as object);
  const res = await call;
  const message = String(res.body?.error?.message ?? res.text);
  expect([res.status, missing(message, row.says), message]).toEqual([row.status, [], message]);
  expect(standIn.api.writes().slice(writesBefore)).toEqual([]);
});

test('the same backend approves the revision under analysis (the cases above are not refused for another reason)', async () => {
  const res = await request(server)
    .post(`/api/greenlight/rollouts/${NS}/chatbot/approve`)
    .set('authorization', mockCredentials.user.header(USER))
    .send({ revision: BACKEND_CLUSTER.chatbot.revision });
  expect(res.status).toBe(200);
  expect(standIn.api.writes().length).toBeGreaterThan(0);
});
