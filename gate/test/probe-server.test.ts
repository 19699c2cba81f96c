import { setGlobalProxyFromEnv, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CoreV1Event, KubernetesObject, V1Deployment } from '@kubernetes/client-node';
import { KubeConfig } from '@kubernetes/client-node';
import type { Canary } from 'flagger-types';
import {
  createKubeClient,
  parseProbeFailure,
  PROBE_PATHS,
  probeMetadata,
  type FunctionProbe,
} from '@greenlight/core';
import { createChatbotServer } from '@greenlight/example-chatbot';
import { deployChatbot, startTestCluster, type TestCluster } from '@greenlight/test-kit/cluster';
import { createProbeServer, ProbeMetrics, ProbeRecorder } from '../src/index.ts';
import { startClusterDns, type ClusterDns } from './probe-cluster-dns.ts';

// greenlight-probe over HTTP as Flagger calls it, against the sandbox API server and the real
// example chatbot on loopback, reached by the name the prober builds from the Canary
// (`chatbot-canary.openfaas-fn:<port>`) through Node's proxy support and a DNS stand-in.

const SECRET = 'the-bots-signing-secret';
const NS = 'openfaas-fn';

let cluster: TestCluster;
let dns: ClusterDns;
let restoreProxy: () => void;
let probe: { url: string; recorder: ProbeRecorder; metrics: ProbeMetrics; server: Server };
const servers: Server[] = [];

beforeAll(async () => {
  dns = await startClusterDns();
  // What NODE_USE_ENV_PROXY=1 HTTP_PROXY=… NO_PROXY=… does at startup, here at run time.
  restoreProxy = setGlobalProxyFromEnv({ HTTP_PROXY: dns.url, NO_PROXY: '127.0.0.1,localhost' });
});

afterAll(async () => {
  restoreProxy();
  await dns.close();
});

beforeEach(async () => {
  cluster = await startTestCluster();
  await deployChatbot(cluster.kube, { revision: 'rev-1' });
  await mountInTarget({ env: 'slack-signing-secret' });
  await putSecret(SECRET);
  const bot = await listen(
    createChatbotServer({ color: 'green', revision: 'rev-1', signingSecret: SECRET }),
  );
  dns.route(`chatbot-canary.${NS}:${await canaryPort()}`, bot);
  dns.asked.length = 0;
  probe = await startProbe(cluster.kc);
});

afterEach(async () => {
  await probe.recorder.flush();
  for (const server of [probe.server, ...servers.splice(0)]) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  await cluster.close();
});

async function listen(server: Server): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function startProbe(kc: KubeConfig) {
  const metrics = new ProbeMetrics();
  const recorder = new ProbeRecorder(createKubeClient(kc));
  const server = createProbeServer({ kube: createKubeClient(kc), metrics, recorder });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    recorder,
    metrics,
    server,
  };
}

async function canaryPort(): Promise<number> {
  const canary = await cluster.kube.get<Canary>({
    apiVersion: 'flagger.app/v1beta1',
    kind: 'Canary',
    namespace: NS,
    name: 'chatbot',
  });
  return canary!.spec.service.port;
}

async function putSecret(value: string, name = 'slack-signing-secret') {
  await cluster.kube.apply({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace: NS },
    data: { 'signing-secret': Buffer.from(value).toString('base64') },
  } as KubernetesObject);
}

type Reference = { env?: string; envFrom?: string; volume?: string; projected?: string };

/** Makes the target Deployment reference a Secret, in one of the ways a pod can. */
async function mountInTarget(ref: Reference) {
  const target = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: NS, name: 'chatbot' };
  const deployment = (await cluster.kube.get<V1Deployment>(target))!;
  const pod = deployment.spec!.template.spec!;
  const container = pod.containers[0]!;
  container.env = ref.env
    ? [
        {
          name: 'SLACK_SIGNING_SECRET',
          // The key the probe signs with: another key of the Secret is not the bot's to verify.
          valueFrom: { secretKeyRef: { name: ref.env, key: 'signing-secret' } },
        },
      ]
    : [];
  container.envFrom = ref.envFrom ? [{ secretRef: { name: ref.envFrom } }] : [];
  pod.volumes = [
    ...(ref.volume ? [{ name: 'v', secret: { secretName: ref.volume } }] : []),
    ...(ref.projected
      ? [{ name: 'p', projected: { sources: [{ secret: { name: ref.projected } }] } }]
      : []),
  ];
  await cluster.kube.apply(deployment as KubernetesObject);
}

/**
 * Gives the Canary the probe webhooks render writes for `fp` (pre-rollout once, rollout
 * `rounds` times), beside its other webhooks: what Flagger then sends is theirs.
 */
async function canaryCarries(fp: FunctionProbe, rounds = 1, requestTimeoutMs?: number) {
  const ref = { apiVersion: 'flagger.app/v1beta1', kind: 'Canary', namespace: NS, name: 'chatbot' };
  const canary = (await cluster.kube.get<Canary>(ref))!;
  const others = (canary.spec.analysis?.webhooks ?? []).filter(
    (hook) => !hook.name.startsWith('greenlight-probe'),
  );
  const url = 'http://greenlight-probe.greenlight';
  await cluster.kube.mergePatch(ref, {
    spec: {
      analysis: {
        webhooks: [
          ...others,
          {
            name: 'greenlight-probe-pre',
            type: 'pre-rollout',
            url: `${url}${PROBE_PATHS.preRollout}`,
            metadata: probeMetadata(fp, 1, requestTimeoutMs),
          },
          {
            name: 'greenlight-probe',
            type: 'rollout',
            url: `${url}${PROBE_PATHS.rollout}`,
            metadata: probeMetadata(fp, rounds, requestTimeoutMs),
          },
        ],
      },
    },
  });
}

/** Flagger's payload for this Canary's `phase` probe webhook, as it carries `fp`. */
async function flaggerSends(fp: FunctionProbe, rounds = 1, phase: 'pre' | 'rollout' = 'rollout') {
  await canaryCarries(fp, rounds);
  return payload(fp, phase === 'pre' ? 1 : rounds);
}

function secretReads(since: number): string[] {
  return cluster.api.requestLog
    .slice(since)
    .map((entry) => entry.path)
    .filter((path) => path.includes('/secrets'));
}

const conversations = (hello: string): FunctionProbe => ({
  path: '/',
  signingSecret: { secret: 'slack-signing-secret', key: 'signing-secret' },
  conversations: [
    {
      name: 'greets',
      turns: [
        {
          request: { kind: 'webchat', message: 'hello', user: 'ana' },
          expect: { contains: hello },
        },
      ],
    },
    {
      name: 'answers in slack',
      turns: [
        {
          request: { kind: 'slack-command', command: '/chatbot', text: 'ping' },
          expect: { matches: 'says: pong$' },
        },
        {
          request: {
            kind: 'slack-event',
            event: { type: 'app_mention', text: '<@U0BOT> ping', user: 'U0PROBE' },
          },
          expect: { matches: 'says: pong$' },
        },
      ],
    },
  ],
});

/** What Flagger POSTs to a probe webhook of this Canary (renderCanary's metadata). */
const payload = (fp: FunctionProbe, rounds = 1, extra: object = {}) => ({
  name: 'chatbot',
  namespace: NS,
  phase: 'Progressing',
  checksum: 'a1b2c3',
  metadata: probeMetadata(fp, rounds),
  ...extra,
});

const post = (path: string, body: unknown) =>
  fetch(`${probe.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

async function probeEvents(): Promise<{ type?: string; reason?: string; message?: string }[]> {
  await probe.recorder.flush();
  const events = await cluster.kube.list<CoreV1Event>({ apiVersion: 'v1', kind: 'Event' }, NS);
  return events
    .filter((e) => e.involvedObject?.kind === 'Canary' && e.involvedObject.name === 'chatbot')
    .map(({ type, reason, message }) => ({ type, reason, message }));
}

test('a good conversation passes, every turn each round, and is an Event on the Canary', async () => {
  const response = await post(
    '/probe/rollout',
    await flaggerSends(conversations('says: hello @ana!'), 4),
  );
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ ok: true, requests: 12, durationMs: expect.any(Number) });
  expect(new Set(dns.asked)).toEqual(new Set([`chatbot-canary.${NS}:${await canaryPort()}`]));
  expect(await probeEvents()).toEqual([
    {
      type: 'Normal',
      reason: 'ProbePassed',
      message: expect.stringMatching(/^rollout probe of revision rev-1: 12 requests in \d+ ms$/),
    },
  ]);
});

test('a wrong reply fails the webhook with the turn, the request and the reply', async () => {
  const response = await post(
    '/probe/pre-rollout',
    await flaggerSends(conversations('says: goodbye'), 1, 'pre'),
  );
  expect(response.status).toBe(422);
  const body = await response.text();
  expect(parseProbeFailure(body)).toEqual({
    conversation: 'greets',
    turn: 1,
    request: expect.stringMatching(
      /^POST http:\/\/chatbot-canary\.openfaas-fn:\d+\/ webchat \{"message":"hello","user":"ana"\}$/,
    ),
    reply: expect.stringMatching(/^200 \{"reply":"🟢 green \(rev-1\) says: hello @ana!"/),
    reason: 'does not contain "says: goodbye"',
  });
  expect(await probeEvents()).toEqual([
    {
      type: 'Warning',
      reason: 'ProbeFailed',
      message: `pre-rollout probe of revision rev-1 failed: ${body}`,
    },
  ]);
});

test('never waits longer per request than the webhook was sized for (its metadata), whatever its own timeout', async () => {
  // The prober's own timeout is its default (5 s); render's metadata asks for 1 ms, which
  // no reply through the mesh proxy meets.
  const fp = conversations('says: hello @ana!');
  await canaryCarries(fp, 1, 1);
  const response = await post('/probe/rollout', {
    ...payload(fp),
    metadata: probeMetadata(fp, 1, 1),
  });
  expect(response.status).toBe(422);
  expect(parseProbeFailure(await response.text())).toMatchObject({
    turn: 1,
    reply: 'no reply within 1 ms',
    reason: 'timed out',
  });
});

test('a Slack turn signed with a secret the bot does not hold is reported with the bot’s 401', async () => {
  await putSecret('a-forged-secret');
  const response = await post(
    '/probe/rollout',
    await flaggerSends(conversations('says: hello @ana!')),
  );
  expect(response.status).toBe(422);
  const body = await response.text();
  expect(parseProbeFailure(body)).toEqual({
    conversation: 'answers in slack',
    turn: 1,
    request: expect.stringMatching(/slackCommand \/chatbot "ping"$/),
    reply: expect.stringMatching(/^401 .*signature does not match/),
    reason: 'status 401, expected 200',
  });
  const events = JSON.stringify(await probeEvents());
  for (const text of [body, events]) expect(text).not.toMatch(/forged|v0=/);
});

test('a missing signing Secret is named, and the run is a failure on the Canary', async () => {
  const fp = conversations('says: hello @ana!');
  fp.signingSecret = { secret: 'no-such-secret', key: 'signing-secret' };
  await mountInTarget({ env: 'no-such-secret' });
  const response = await post('/probe/rollout', await flaggerSends(fp));
  expect(response.status).toBe(503);
  expect(await response.text()).toMatch(/There is no Secret openfaas-fn\/no-such-secret/);
  expect(await probeEvents()).toMatchObject([{ reason: 'ProbeFailed' }]);
  expect(dns.asked).toEqual([]);
});

test('web chat conversations read no Secret', async () => {
  const before = cluster.api.requestLog.length;
  const fp = conversations('says: hello @ana!');
  fp.conversations = fp.conversations.slice(0, 1);
  expect((await post('/probe/rollout', await flaggerSends(fp))).status).toBe(200);
  const paths = cluster.api.requestLog.slice(before).map((entry) => entry.path);
  expect(paths.filter((path) => path.includes('/secrets'))).toEqual([]);
});

test.each([
  ['name', { name: undefined }, /field "name" is missing/],
  ['metadata', { metadata: undefined }, /metadata/],
  ['metadata.probe', { metadata: { rounds: '1' } }, /metadata\.probe is missing/],
  [
    'metadata.rounds',
    { metadata: { ...probeMetadata(conversations('x'), 1), rounds: 'many' } },
    /metadata\.rounds must be a whole number/,
  ],
  ['metadata.probe JSON', { metadata: { probe: '{', rounds: '1' } }, /metadata\.probe is not JSON/],
])(
  'a payload with a bad %s is refused with 400 naming the field',
  async (_field, change, reason) => {
    const response = await post('/probe/rollout', payload(conversations('x'), 1, change));
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(reason);
    expect(dns.asked).toEqual([]);
    expect(await probeEvents()).toEqual([]);
  },
);

test('the URL comes from the Canary, never from the metadata', async () => {
  // The Canary moves its Service to port 9090: the probe follows it.
  const bot = servers[0]!.address() as AddressInfo;
  dns.route(`chatbot-canary.${NS}:9090`, bot.port);
  await cluster.kube.mergePatch(
    { apiVersion: 'flagger.app/v1beta1', kind: 'Canary', namespace: NS, name: 'chatbot' },
    { spec: { service: { port: 9090 } } },
  );
  const fp = { ...conversations('says: hello @ana!'), path: '//evil.example:80/steal' };
  fp.conversations = fp.conversations.slice(0, 1);
  const response = await post('/probe/rollout', await flaggerSends(fp));
  // The example bot answers on any path, so the turn passes; only the canary Service was asked.
  expect(response.status).toBe(200);
  expect(dns.asked).toEqual([`chatbot-canary.${NS}:9090`]);
});

test.each([
  ['spec.service.name', { service: { name: 'evil.example/#' } }],
  ['spec.service.name', { service: { name: 'a'.repeat(57) } }],
  ['spec.targetRef.name', { service: { name: null }, targetRef: { name: 'Chatbot' } }],
])(
  'a Canary whose %s cannot name a Service (%j) is a 400 naming it, and nothing is sent',
  async (field, spec) => {
    // The name becomes the URL's host: `evil.example/#` would make http://evil.example/#-canary…
    await cluster.kube.mergePatch(
      { apiVersion: 'flagger.app/v1beta1', kind: 'Canary', namespace: NS, name: 'chatbot' },
      { spec },
    );
    const response = await post('/probe/rollout', payload(conversations('says: hello @ana!')));
    expect(response.status).toBe(400);
    expect(await response.text()).toContain(`has ${field} `);
    expect(dns.asked).toEqual([]);
  },
);

test('a Canary that does not exist is a 404, and nothing is sent', async () => {
  const response = await post('/probe/rollout', payload(conversations('x'), 1, { name: 'nobot' }));
  expect(response.status).toBe(404);
  expect(await response.text()).toMatch(/no Canary openfaas-fn\/nobot/);
  expect(dns.asked).toEqual([]);
});

test('an unreachable API server is a 503: Flagger calls again', async () => {
  await cluster.close();
  const response = await post('/probe/rollout', payload(conversations('x')));
  expect(response.status).toBe(503);
  expect(await response.text()).toMatch(/could not read the cluster/);
  expect(dns.asked).toEqual([]);
  cluster = await startTestCluster(); // for afterEach
});

test('serves its runs as Prometheus metrics and /healthz', async () => {
  await post('/probe/rollout', await flaggerSends(conversations('says: hello @ana!'), 2));
  await post('/probe/rollout', '{');
  const text = await (await fetch(`${probe.url}/metrics`)).text();
  expect(text).toContain('greenlight_probe_runs_total{phase="rollout",result="passed"} 1');
  expect(text).toContain('greenlight_probe_runs_total{phase="rollout",result="invalid"} 1');
  expect(text).toContain('greenlight_probe_requests_total{phase="rollout"} 6');
  expect((await fetch(`${probe.url}/healthz`)).status).toBe(200);
});

// Attacks by anything that reaches the prober: its payload's metadata is not the Canary's.

const webchatOnly = (): FunctionProbe => {
  const fp = conversations('says: hello @ana!');
  return { path: fp.path, conversations: fp.conversations.slice(0, 1) };
};

test('a payload whose conversation the Canary does not carry is refused (403 naming the key): nothing sent, signed or recorded', async () => {
  await canaryCarries(webchatOnly());
  const before = cluster.api.requestLog.length;
  // The attacker's conversation signs Slack turns with the bot's Secret.
  const response = await post('/probe/rollout', payload(conversations('says: hello @ana!')));
  expect(response.status).toBe(403);
  expect(await response.text()).toMatch(
    /^The payload's metadata\.probe is not what Canary openfaas-fn\/chatbot's rollout webhook greenlight-probe carries/,
  );
  expect(dns.asked).toEqual([]);
  expect(secretReads(before)).toEqual([]);
  expect(await probeEvents()).toEqual([]);
});

test.each([
  ['more rounds', (fp: FunctionProbe) => ({ ...probeMetadata(fp, 1), rounds: '100' }), 'rounds'],
  ['a longer timeout', (fp: FunctionProbe) => probeMetadata(fp, 1, 60_000), 'requestTimeout'],
  ['an extra key', (fp: FunctionProbe) => ({ ...probeMetadata(fp, 1), url: 'http://x/' }), 'url'],
])(
  'a payload asking for %s than the Canary carries is refused naming it',
  async (_, metadata, key) => {
    const fp = webchatOnly();
    await canaryCarries(fp);
    const response = await post('/probe/rollout', { ...payload(fp), metadata: metadata(fp) });
    expect(response.status).toBe(403);
    expect(await response.text()).toContain(`metadata.${key} is not what`);
    expect(dns.asked).toEqual([]);
  },
);

test('a Canary with no probe webhooks runs nothing, whatever the payload asks', async () => {
  const response = await post('/probe/rollout', payload(webchatOnly()));
  expect(response.status).toBe(403);
  expect(await response.text()).toMatch(
    /^Canary openfaas-fn\/chatbot has no rollout webhook to \/probe\/rollout/,
  );
  expect(dns.asked).toEqual([]);
  expect(await probeEvents()).toEqual([]);
  const text = await (await fetch(`${probe.url}/metrics`)).text();
  expect(text).toContain('greenlight_probe_runs_total{phase="rollout",result="refused"} 1');
});

test('the rollout webhook’s metadata does not start a pre-rollout run', async () => {
  const fp = webchatOnly();
  await canaryCarries(fp, 3);
  const response = await post('/probe/pre-rollout', payload(fp, 3));
  expect(response.status).toBe(403);
  expect(await response.text()).toContain(
    "metadata.rounds is not what Canary openfaas-fn/chatbot's pre-rollout webhook greenlight-probe-pre carries",
  );
});

test('a Canary naming a Secret its target does not reference is refused and a ProbeFailed Event, the Secret never read', async () => {
  // Team A's bot holds its signing secret in the shared namespace; team B's Canary names it.
  const TEAM_A = 'team-a-signing-secret-value';
  await putSecret(TEAM_A, 'team-a-slack');
  const fp = conversations('says: hello @ana!');
  fp.signingSecret = { secret: 'team-a-slack', key: 'signing-secret' };
  const before = cluster.api.requestLog.length;
  const logs: string[] = [];
  const own = createProbeServer({
    kube: createKubeClient(cluster.kc),
    metrics: new ProbeMetrics(),
    recorder: probe.recorder,
    log: (line) => logs.push(line),
  });
  const port = await listen(own);
  const response = await fetch(`http://127.0.0.1:${port}/probe/rollout`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(await flaggerSends(fp)),
  });
  expect(response.status).toBe(403);
  const body = await response.text();
  expect(body).toMatch(
    /^Deployment openfaas-fn\/chatbot does not reference Secret openfaas-fn\/team-a-slack, so the prober will not sign with it: .* List team-a-slack under the function's secrets: in stack\.yml/,
  );
  expect(await probeEvents()).toEqual([
    {
      type: 'Warning',
      reason: 'ProbeFailed',
      message: `rollout probe of revision rev-1 failed: ${body}`,
    },
  ]);
  expect(secretReads(before)).toEqual([]);
  expect(dns.asked).toEqual([]);
  const everything = [body, JSON.stringify(await probeEvents()), ...logs].join('\n');
  expect(everything).not.toContain(TEAM_A);
  expect(everything).not.toContain(Buffer.from(TEAM_A).toString('base64'));
});

test.each<[string, Reference]>([
  ['an env secretKeyRef', { env: 'slack-signing-secret' }],
  ['envFrom', { envFrom: 'slack-signing-secret' }],
  ['a secret volume', { volume: 'slack-signing-secret' }],
  ['a projected volume (stack.yml secrets:)', { projected: 'slack-signing-secret' }],
])('signs with a Secret the target references through %s', async (_, ref) => {
  await mountInTarget(ref);
  const response = await post(
    '/probe/rollout',
    await flaggerSends(conversations('says: hello @ana!')),
  );
  expect(response.status).toBe(200);
});

test('a Canary written by hand with a run past the cap is refused (400 naming metadata.rounds), nothing sent', async () => {
  const fp = conversations('says: hello @ana!');
  // 3 turns × 100 rounds: render would refuse it; kubectl does not.
  const metadata = { ...probeMetadata(fp, 1), rounds: '100' };
  const ref = { apiVersion: 'flagger.app/v1beta1', kind: 'Canary', namespace: NS, name: 'chatbot' };
  await cluster.kube.mergePatch(ref, {
    spec: {
      analysis: {
        webhooks: [
          {
            name: 'greenlight-probe',
            type: 'rollout',
            url: `http://p${PROBE_PATHS.rollout}`,
            metadata,
          },
        ],
      },
    },
  });
  const response = await post('/probe/rollout', { ...payload(fp), metadata });
  expect(response.status).toBe(400);
  expect(await response.text()).toMatch(
    /^metadata\.rounds: metadata\.rounds is 100, and with it a run sends 300 requests \(3 turns × 100 rounds\), more than the 200 one run may send/,
  );
  expect(dns.asked).toEqual([]);
});
