// Attack family: a stranger asks the gate. Any pod in the cluster can reach the gate's
// Service, so whatever the gate answers over HTTP is public inside the cluster. A stranger
// POSTing Flagger's webhooks — right payload, wrong checksum, either gate, approved,
// refused or aborted — must learn no approver's name and no note; the Event on the Canary
// (readable only with RBAC) still says who. And when RBAC refuses the gate its own reads,
// /readyz must say why, so the operator can fix it (issue 12, "The gate tells strangers
// nothing"; items 8 and 9).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApiServer, type ApiServer } from '@greenlight/sandbox';
import { KubeConfig, type CoreV1Event } from '@kubernetes/client-node';
import { abort, approve, createKubeClient, type KubeClient } from '@greenlight/core';
import { deployChatbot, eventually } from '@greenlight/test-kit/cluster';
import { forward } from '@greenlight/test-kit/faults/forward';
import { waitingPromotion } from '@greenlight/test-kit/processes/gate';
import { GATE_BIN, start, type Running } from '@greenlight/test-kit/processes/spawn';

const APPROVER = 'ana.lopez@example.com';
const APPROVER_TOKEN = 'approver-token';
const NOTE = 'github:ana-gh https://github.com/acme/bots/actions/runs/4242';
const GATE_TOKEN = 'gate-token-s3cr3t-value';
const ref = { namespace: 'openfaas-fn', name: 'chatbot' };

let api: ApiServer;
let dir: string;
const running: Running[] = [];

beforeEach(async () => {
  api = await startApiServer({
    users: {
      [APPROVER_TOKEN]: { username: APPROVER },
      [GATE_TOKEN]: { username: 'system:serviceaccount:greenlight:greenlight-gate' },
    },
  });
  dir = await mkdtemp(join(tmpdir(), 'gate-strangers-'));
});

afterEach(async () => {
  for (const gate of running.splice(0)) {
    gate.child.kill('SIGTERM');
    await gate.exited;
  }
  await api.close();
  await rm(dir, { recursive: true, force: true });
});

function clientFor(token: string): KubeClient {
  const kc = new KubeConfig();
  kc.loadFromString(withToken(api.kubeconfig(), token));
  return createKubeClient(kc);
}

/** The sandbox kubeconfig, pointed at `server`, authenticating with `token`. */
function withToken(kubeconfig: string, token: string, server = api.url): string {
  return kubeconfig
    .replace(api.url, server)
    .replace('    user: {}', `    user:\n      token: ${JSON.stringify(token)}`);
}

async function startGateProcess(server: string): Promise<Running & { url: () => string }> {
  const file = join(dir, `kubeconfig-${running.length}`);
  await writeFile(file, withToken(api.kubeconfig(), GATE_TOKEN, server), { mode: 0o600 });
  const gate = start(GATE_BIN, ['--port', '0', '--host', '127.0.0.1', '--kubeconfig', file]);
  running.push(gate);
  await eventually(() => gate.out().includes('listening on'), 15_000);
  return { ...gate, url: () => `http://127.0.0.1:${/listening on (\d+)/.exec(gate.out())?.[1]}` };
}

test('a stranger POSTing the webhooks learns no approver name, whatever the gate decides', async () => {
  const admin = clientFor(APPROVER_TOKEN);
  await deployChatbot(admin, { revision: 'rev-1' });
  const payload = await waitingPromotion(api.url, admin);
  await approve(admin, ref, { note: NOTE });
  const gate = await startGateProcess(api.url);
  await eventually(() => gate.out().includes('caches synced'), 15_000);

  const bodies: string[] = [];
  const ask = async (path: string, body: object) => {
    const response = await fetch(`${gate.url()}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    bodies.push(`${response.status} ${JSON.stringify([...response.headers])} ${text}`);
    return { status: response.status, body: JSON.parse(text) as { code: string } };
  };

  // Approved: the answer Flagger needs, and nothing about who.
  await eventually(async () => (await ask('/gate/promotion', payload)).status === 200, 10_000);
  expect((await ask('/gate/promotion', payload)).body).toMatchObject({ code: 'Approved' });
  // A guessed checksum, the rollback gate, another revision, an abort: all refusals.
  await ask('/gate/promotion', { ...payload, checksum: 'guessed' });
  expect((await ask('/gate/rollback', payload)).body).toMatchObject({ code: 'NotAborted' });
  await deployChatbot(admin, { revision: 'rev-2' });
  await eventually(
    async () => (await ask('/gate/promotion', payload)).body.code === 'OtherRevision',
  );
  await ask('/gate/rollback', payload);
  await abort(admin, ref, { note: NOTE });
  await eventually(async () => (await ask('/gate/rollback', payload)).status === 200);
  await ask('/gate/promotion', payload);

  const codes = bodies.map((line) => /"code":"(\w+)"/.exec(line)?.[1]);
  expect(new Set(codes)).toEqual(
    new Set(['Approved', 'NotSynced', 'NotAborted', 'OtherRevision', 'Aborted']),
  );
  for (const body of bodies) {
    for (const secret of ['lopez', 'ana-gh', 'acme/bots', '4242', ' by ']) {
      expect(body).not.toContain(secret);
    }
  }

  // Whoever may read the Canary's Events still learns who.
  const events = await admin.list<CoreV1Event>({ apiVersion: 'v1', kind: 'Event' }, 'openfaas-fn');
  const gateEvents = events.filter((event) => event.source?.component === 'greenlight-gate');
  expect(gateEvents.some((event) => event.message?.includes(APPROVER))).toBe(true);
}, 40_000);

test('GET /readyz says which cache RBAC refuses and what to grant; the log says it too', async () => {
  // kube-apiserver's answer to a ServiceAccount without list/watch on deployments.apps.
  const rbac = await startForbiddingProxy(api.url, /\/apis\/apps\/v1\/.*deployments/);
  try {
    const gate = await startGateProcess(rbac.url);
    await eventually(() => gate.err().includes('deployments.apps'), 10_000);
    const response = await fetch(`${gate.url()}/readyz`);
    expect(response.status).toBe(503);
    const text = await response.text();
    const body = JSON.parse(text) as {
      caches: { cache: string; synced: boolean; lastError?: string; fix?: string }[];
    };
    expect(body.caches).toEqual([
      { cache: 'Canary', synced: true },
      {
        cache: 'Deployment',
        synced: false,
        lastError: expect.stringContaining(
          'cannot list resource "deployments" in API group "apps"',
        ),
        fix: expect.stringContaining(
          "grant the gate's identity get, list and watch on deployments.apps (the greenlight-gate chart's RBAC",
        ),
      },
    ]);
    expect((await fetch(`${gate.url()}/healthz`)).status).toBe(200);
    expect(gate.err()).toContain(
      'the Deployment cache is not synced, so the gate refuses every webhook',
    );
    expect(gate.err()).toContain(
      "grant the gate's identity get, list and watch on deployments.apps",
    );
    for (const said of [text, gate.out(), gate.err()]) expect(said).not.toContain(GATE_TOKEN);
  } finally {
    await rbac.close();
  }
}, 30_000);

/** Forwards to `target`, but answers 403 Forbidden, as RBAC does, for paths matching `refuse`. */
async function startForbiddingProxy(target: string, refuse: RegExp) {
  const upstream = new URL(target);
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://proxy').pathname;
    if (refuse.test(path)) {
      req.resume();
      const verb = /[?&]watch=(true|1)/.test(req.url ?? '') ? 'watch' : 'list';
      res.writeHead(403, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          kind: 'Status',
          apiVersion: 'v1',
          status: 'Failure',
          message: `deployments.apps is forbidden: User "system:serviceaccount:greenlight:greenlight-gate" cannot ${verb} resource "deployments" in API group "apps" at the cluster scope`,
          reason: 'Forbidden',
          details: { group: 'apps', kind: 'deployments' },
          code: 403,
        }),
      );
      return;
    }
    forward(upstream, req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
