import { approve } from '@greenlight/core';
import { deployChatbot, startTestCluster, type TestCluster } from '../../test/support/cluster.ts';
import { MAX_BODY_BYTES } from '../src/body.ts';
import { flaggerPayload, startGate, type RunningGate } from './start-gate.ts';

let cluster: TestCluster;
let gate: RunningGate;

beforeAll(async () => {
  cluster = await startTestCluster();
  await deployChatbot(cluster.kube, { revision: 'rev-1' });
  // Approved, so that any 200 below would be a hole in the gate, not a missing approval.
  await approve(cluster.kube, { namespace: 'openfaas-fn', name: 'chatbot' }, { by: 'ana' });
  gate = await startGate(cluster.kc);
});

afterAll(async () => {
  await gate.stop();
  await cluster.close();
});

const deep = (levels: number): string => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);

// [what, method, path, content type, body, expected status, text the answer must contain]
const cases: [string, string, string, string, string | undefined, number, string][] = [
  [
    'GET on the promotion gate',
    'GET',
    '/gate/promotion',
    'application/json',
    undefined,
    405,
    'takes POST',
  ],
  [
    'PUT on the rollback gate',
    'PUT',
    '/gate/rollback',
    'application/json',
    '{}',
    405,
    'takes POST',
  ],
  ['an unknown gate', 'POST', '/gate/open', 'application/json', '{}', 404, 'no such endpoint'],
  [
    'a form body',
    'POST',
    '/gate/promotion',
    'application/x-www-form-urlencoded',
    'name=chatbot',
    415,
    'application/json',
  ],
  ['no content type', 'POST', '/gate/promotion', '', '{}', 415, 'application/json'],
  [
    'invalid JSON',
    'POST',
    '/gate/promotion',
    'application/json',
    '{"name":',
    400,
    'not valid JSON',
  ],
  [
    'a body over the size limit',
    'POST',
    '/gate/promotion',
    'application/json',
    JSON.stringify({ ...flaggerPayload(), pad: 'x'.repeat(MAX_BODY_BYTES) }),
    413,
    'limit',
  ],
  ['a JSON array', 'POST', '/gate/promotion', 'application/json', '[]', 400, 'payload'],
  ['JSON null', 'POST', '/gate/promotion', 'application/json', 'null', 400, 'payload'],
  [
    'no name',
    'POST',
    '/gate/promotion',
    'application/json',
    JSON.stringify({ namespace: 'openfaas-fn', phase: 'Progressing', checksum: 'x' }),
    400,
    'name',
  ],
  [
    'a numeric namespace',
    'POST',
    '/gate/promotion',
    'application/json',
    JSON.stringify({ ...flaggerPayload(), namespace: 7 }),
    400,
    'namespace',
  ],
  [
    'a name with a path in it',
    'POST',
    '/gate/promotion',
    'application/json',
    JSON.stringify(flaggerPayload('../chatbot')),
    400,
    'name',
  ],
  [
    'an injected name',
    'POST',
    '/gate/promotion',
    'application/json',
    JSON.stringify(flaggerPayload('chatbot" || true')),
    400,
    'name',
  ],
  [
    'unicode look-alike name',
    'POST',
    '/gate/promotion',
    'application/json',
    JSON.stringify(flaggerPayload('chаtbot')),
    400,
    'name',
  ],
  ['deeply nested JSON', 'POST', '/gate/promotion', 'application/json', deep(2000), 400, ''],
  [
    'a canary in another namespace',
    'POST',
    '/gate/promotion',
    'application/json',
    JSON.stringify(flaggerPayload('chatbot', 'default')),
    404,
    'default/chatbot',
  ],
  [
    'a canary that does not exist',
    'POST',
    '/gate/promotion',
    'application/json',
    JSON.stringify(flaggerPayload('other-bot')),
    404,
    'other-bot',
  ],
];

test.each(cases)('never opens for %s', async (_what, method, path, type, body, status, text) => {
  const writesBefore = cluster.api.writes().length;
  const response = await fetch(`${gate.url}${path}`, {
    method,
    headers: type ? { 'content-type': type } : {},
    body,
  });
  expect(response.status).toBe(status);
  expect((await response.text()).toLowerCase()).toContain(text.toLowerCase());
  await gate.recorder.flush();
  // Bad requests change nothing in the cluster: not even an Event.
  expect(cluster.api.writes().length).toBe(writesBefore);
});

test('the same payload approved a moment ago still opens (the table above is not vacuous)', async () => {
  expect((await gate.post('/gate/promotion', flaggerPayload())).status).toBe(200);
});
