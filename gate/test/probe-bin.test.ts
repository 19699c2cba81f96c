import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CoreV1Event, KubernetesObject, V1Deployment } from '@kubernetes/client-node';
import { probeMetadata, type FunctionProbe } from '@greenlight/core';
import { createChatbotServer } from '@greenlight/example-chatbot';
import {
  deployChatbot,
  eventually,
  startTestCluster,
  type TestCluster,
} from '@greenlight/test-kit/cluster';
import { exec, start, type Running } from '@greenlight/test-kit/processes/spawn';
import { startClusterDns, type ClusterDns } from './probe-cluster-dns.ts';

// `greenlight-probe` as the chart runs it: its own process, flags, the cluster from a
// kubeconfig, and its requests to the canary through Node's own proxy support
// (NODE_USE_ENV_PROXY=1 HTTP_PROXY=…), which is how a test on one machine gives it cluster DNS.

const PROBE_BIN = fileURLToPath(new URL('../bin/greenlight-probe.js', import.meta.url));
const probe: FunctionProbe = {
  path: '/',
  conversations: [
    {
      name: 'pings',
      turns: [
        { request: { kind: 'webchat', message: 'ping' }, expect: { matches: 'says: pong$' } },
      ],
    },
  ],
};

let cluster: TestCluster;
let dns: ClusterDns;
let bot: Server;
let dir: string;
let running: Running | undefined;

beforeAll(async () => {
  cluster = await startTestCluster();
  await deployChatbot(cluster.kube, { revision: 'rev-7', probe, probeRounds: 3 });
  dns = await startClusterDns();
  bot = createChatbotServer({ color: 'blue', revision: 'rev-7' });
  await new Promise<void>((resolve) => bot.listen(0, '127.0.0.1', resolve));
  dns.route('chatbot-canary.openfaas-fn:8080', (bot.address() as AddressInfo).port);
  dir = await mkdtemp(join(tmpdir(), 'greenlight-probe-'));
  await writeFile(join(dir, 'kubeconfig'), cluster.api.kubeconfig());
});

afterAll(async () => {
  running?.child.kill('SIGTERM');
  await running?.exited;
  await rm(dir, { recursive: true, force: true });
  bot.closeAllConnections();
  bot.close();
  await dns.close();
  await cluster.close();
});

let port = 0;

const post = (body: object) =>
  fetch(`http://127.0.0.1:${port}/probe/rollout`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      namespace: 'openfaas-fn',
      phase: 'Progressing',
      checksum: 'a1',
      ...body,
    }),
  });

test('serves Flagger’s rollout webhook, reaching <name>-canary through NODE_USE_ENV_PROXY', async () => {
  running = start(
    PROBE_BIN,
    [
      `--kubeconfig=${join(dir, 'kubeconfig')}`,
      '--host=127.0.0.1',
      '--port=0',
      '--request-timeout=2',
    ],
    { NODE_USE_ENV_PROXY: '1', HTTP_PROXY: dns.url, NO_PROXY: '127.0.0.1,localhost' },
  );
  await eventually(() => {
    port = Number(/greenlight-probe listening on (\d+)/.exec(running!.out())?.[1] ?? 0);
    return port > 0;
  }, 10_000);
  const response = await post({ name: 'chatbot', metadata: probeMetadata(probe, 3) });
  expect(response.status).toBe(200);
  expect(await response.json()).toMatchObject({ ok: true, requests: 3 });
  expect(new Set(dns.asked)).toEqual(new Set(['chatbot-canary.openfaas-fn:8080']));
  expect(running.err()).toMatch(
    /probe: rollout openfaas-fn\/chatbot revision rev-7: passed, 3 requests/,
  );
});

// Attacks from any pod that reaches the prober, and from a team sharing the namespace.

const TEAM_A_SECRET = 'team-a-slack-signing-secret';
const slack = (secret: string): FunctionProbe => ({
  path: '/',
  signingSecret: { secret, key: 'signing-secret' },
  conversations: [
    {
      name: 'pings in slack',
      turns: [
        {
          request: { kind: 'slack-command', command: '/chatbot', text: 'ping' },
          expect: { matches: 'says: pong$' },
        },
      ],
    },
  ],
});

test('refuses a forged payload (another conversation, the bot’s Secret): nothing sent or read', async () => {
  await putSecret('team-a-slack', TEAM_A_SECRET);
  const asked = dns.asked.length;
  const before = cluster.api.requestLog.length;
  const response = await post({
    name: 'chatbot',
    metadata: probeMetadata(slack('team-a-slack'), 3),
  });
  expect(response.status).toBe(403);
  expect(await response.text()).toContain(
    "metadata.probe is not what Canary openfaas-fn/chatbot's rollout webhook greenlight-probe carries",
  );
  expect(dns.asked.length).toBe(asked);
  const reads = cluster.api.requestLog.slice(before).map((entry) => entry.path);
  expect(reads.filter((path) => path.includes('/secrets'))).toEqual([]);
});

test('refuses team B’s Canary signing with team A’s Secret, says so in a ProbeFailed Event, and never shows the secret', async () => {
  // Team B's Canary and Deployment, in the same namespace, name team A's Secret in the probe.
  await deployChatbot(cluster.kube, {
    name: 'teamb',
    revision: 'rev-b',
    probe: slack('team-a-slack'),
    probeRounds: 1,
  });
  const response = await post({ name: 'teamb', metadata: probeMetadata(slack('team-a-slack'), 1) });
  expect(response.status).toBe(403);
  const body = await response.text();
  expect(body).toContain(
    'Deployment openfaas-fn/teamb does not reference Secret openfaas-fn/team-a-slack, so the prober will not sign with it',
  );
  expect(body).toContain("List team-a-slack under the function's secrets: in stack.yml");
  let events: CoreV1Event[] = [];
  await eventually(async () => {
    events = (
      await cluster.kube.list<CoreV1Event>({ apiVersion: 'v1', kind: 'Event' }, 'openfaas-fn')
    ).filter((e) => e.involvedObject?.name === 'teamb' && e.reason === 'ProbeFailed');
    return events.length === 1;
  });
  expect(events[0]!.message).toBe(`rollout probe of revision rev-b failed: ${body}`);
  const everything = [body, JSON.stringify(events), running!.out(), running!.err()].join('\n');
  expect(everything).not.toContain(TEAM_A_SECRET);
  expect(everything).not.toContain(Buffer.from(TEAM_A_SECRET).toString('base64'));
  expect(running!.err()).toContain(
    'probe: rollout openfaas-fn/teamb: Deployment openfaas-fn/teamb does not reference',
  );
});

test('signs with the Secret once team B’s Deployment mounts it as stack.yml secrets: would', async () => {
  const ref = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    namespace: 'openfaas-fn',
    name: 'teamb',
  };
  const deployment = (await cluster.kube.get<V1Deployment>(ref))!;
  deployment.spec!.template.spec!.volumes = [
    {
      name: 'teamb-projected-secrets',
      projected: { sources: [{ secret: { name: 'team-a-slack' } }] },
    },
  ];
  await cluster.kube.apply(deployment as KubernetesObject);
  dns.route('teamb-canary.openfaas-fn:8080', (bot.address() as AddressInfo).port);
  const response = await post({ name: 'teamb', metadata: probeMetadata(slack('team-a-slack'), 1) });
  // The blue bot verifies no signatures: the run passes once the prober may sign.
  expect(response.status).toBe(200);
});

test('refuses a key of that Secret team B’s Deployment is not given (a projected volume’s items)', async () => {
  const ref = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    namespace: 'openfaas-fn',
    name: 'teamb',
  };
  const deployment = (await cluster.kube.get<V1Deployment>(ref))!;
  // Team B's bot is given one key of a shared Secret; its probe names another key of it.
  deployment.spec!.template.spec!.volumes = [
    {
      name: 'teamb-projected-secrets',
      projected: {
        sources: [{ secret: { name: 'team-a-slack', items: [{ key: 'teamb-key', path: 'k' }] } }],
      },
    },
  ];
  await cluster.kube.apply(deployment as KubernetesObject);
  const asked = dns.asked.length;
  const before = cluster.api.requestLog.length;
  const response = await post({ name: 'teamb', metadata: probeMetadata(slack('team-a-slack'), 1) });
  expect(response.status).toBe(403);
  expect(await response.text()).toContain(
    'Deployment openfaas-fn/teamb does not reference key signing-secret of Secret openfaas-fn/team-a-slack (only other keys of it',
  );
  expect(dns.asked.length).toBe(asked);
  const reads = cluster.api.requestLog.slice(before).map((entry) => entry.path);
  expect(reads.filter((path) => path.includes('/secrets'))).toEqual([]);
});

async function putSecret(name: string, value: string) {
  await cluster.kube.apply({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace: 'openfaas-fn' },
    data: { 'signing-secret': Buffer.from(value).toString('base64') },
  } as KubernetesObject);
}

test('refuses a bad flag with the flag’s name and exit code 2', async () => {
  const bad = await exec(PROBE_BIN, ['--request-timeout=soon']);
  expect(bad.code).toBe(2);
  expect(bad.err).toContain(
    '--request-timeout (or GREENLIGHT_PROBE_REQUEST_TIMEOUT) must be a number of seconds above 0, got "soon"',
  );
  const help = await exec(PROBE_BIN, ['--help']);
  expect(help.code).toBe(0);
  expect(help.out).toContain('POST /probe/rollout');
});
