import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
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
  await deployChatbot(cluster.kube, { revision: 'rev-7' });
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
  let port = 0;
  await eventually(() => {
    port = Number(/greenlight-probe listening on (\d+)/.exec(running!.out())?.[1] ?? 0);
    return port > 0;
  }, 10_000);
  const response = await fetch(`http://127.0.0.1:${port}/probe/rollout`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'chatbot',
      namespace: 'openfaas-fn',
      phase: 'Progressing',
      checksum: 'a1b2c3',
      metadata: probeMetadata(probe, 3),
    }),
  });
  expect(response.status).toBe(200);
  expect(await response.json()).toMatchObject({ ok: true, requests: 3 });
  expect(new Set(dns.asked)).toEqual(new Set(['chatbot-canary.openfaas-fn:8080']));
  expect(running.err()).toMatch(
    /probe: rollout openfaas-fn\/chatbot revision rev-7: passed, 3 requests/,
  );
});

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
