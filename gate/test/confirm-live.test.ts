import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { KubeConfig, type KubernetesObject, type V1Deployment } from '@kubernetes/client-node';
import type { Canary } from 'flagger-types';
import { approve, createObjectReader, ObjectCache } from '@greenlight/core';
import {
  deployChatbot,
  eventually,
  startTestCluster,
  type TestCluster,
} from '@greenlight/test-kit/cluster';
import { createGateServer, GateMetrics, type ObjectLookup } from '../src/index.ts';
import { waitingPromotion } from '@greenlight/test-kit/processes/gate';

// Every 200 is confirmed with live reads of the Canary and its target Deployment, and the
// answer over HTTP names no approver (docs/design.md, "The approval protocol").

let cluster: TestCluster;
let canaries: ObjectCache<Canary>;
let deployments: ObjectCache<V1Deployment>;
let server: Server | undefined;
let payload: Awaited<ReturnType<typeof waitingPromotion>>;
const ref = { namespace: 'openfaas-fn', name: 'chatbot' };

beforeEach(async () => {
  cluster = await startTestCluster();
  await deployChatbot(cluster.kube, { revision: 'rev-1' });
  payload = await waitingPromotion(cluster.api.url, cluster.kube);
  canaries = new ObjectCache(cluster.kc, { apiVersion: 'flagger.app/v1beta1', kind: 'Canary' });
  deployments = new ObjectCache(cluster.kc, { apiVersion: 'apps/v1', kind: 'Deployment' });
  await Promise.all([canaries.start(), deployments.start()]);
});

afterEach(async () => {
  canaries.stop();
  deployments.stop();
  server?.closeAllConnections();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
  await cluster.close();
});

async function serve(deps: Partial<Parameters<typeof createGateServer>[0]> = {}) {
  const metrics = new GateMetrics();
  server = createGateServer({
    canaries,
    deployments,
    live: createObjectReader(cluster.kc),
    metrics,
    ...deps,
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const promote = () =>
    fetch(`${url}/gate/promotion`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload),
    });
  return { url, metrics, promote };
}

/** A cache that stopped following the cluster but still claims to be synced. */
function frozen<T extends KubernetesObject>(cache: ObjectCache<T>): ObjectLookup<T> {
  const snapshot = new Map(
    cache.list().map((o) => [`${o.metadata?.namespace}/${o.metadata?.name}`, o]),
  );
  return { synced: true, get: (namespace, name) => snapshot.get(`${namespace}/${name}`) };
}

test('confirms an allow with one live read of the Canary and one of its target, counted', async () => {
  await approve(cluster.kube, ref, { note: 'github:ana https://ci.example/run/1' });
  const gate = await serve();
  await eventually(async () => (await gate.promote()).status === 200);
  const before = cluster.api.requestLog.length;
  expect((await gate.promote()).status).toBe(200);
  const reads = cluster.api.requestLog.slice(before).filter((entry) => !entry.watch);
  expect(reads.map((entry) => `${entry.method} ${entry.path}`)).toEqual([
    'GET /apis/flagger.app/v1beta1/namespaces/openfaas-fn/canaries/chatbot',
    'GET /apis/apps/v1/namespaces/openfaas-fn/deployments/chatbot',
  ]);
  const text = await (await fetch(`${gate.url}/metrics`)).text();
  expect(text).toMatch(/greenlight_gate_live_reads_total\{kind="Canary",result="found"\} [2-9]/);
  expect(text).toMatch(
    /greenlight_gate_live_reads_total\{kind="Deployment",result="found"\} [2-9]/,
  );
});

test('refuses promotion when the live target moved on though the cache still says approved', async () => {
  await approve(cluster.kube, ref, {});
  await eventually(() =>
    Boolean(
      canaries.get('openfaas-fn', 'chatbot')?.metadata?.annotations?.[
        'greenlight.dev/approved-revision'
      ],
    ),
  );
  const gate = await serve({ canaries: frozen(canaries), deployments: frozen(deployments) });
  await deployChatbot(cluster.kube, { revision: 'rev-2' });
  const response = await gate.promote();
  expect(response.status).toBe(403);
  expect(await response.json()).toMatchObject({
    allowed: false,
    code: 'OtherRevision',
    revision: 'rev-2',
  });
});

test('refuses with 503 when the live read cannot be made: fail closed', async () => {
  await approve(cluster.kube, ref, {});
  const unreachable = new KubeConfig();
  unreachable.loadFromString(
    cluster.api.kubeconfig().replace(cluster.api.url, 'http://127.0.0.1:1'),
  );
  const gate = await serve({ live: createObjectReader(unreachable) });
  await eventually(async () => (await gate.promote()).status !== 403);
  const response = await gate.promote();
  expect(response.status).toBe(503);
  expect(await response.json()).toMatchObject({ allowed: false, code: 'LiveReadFailed' });
  const text = await (await fetch(`${gate.url}/metrics`)).text();
  expect(text).toMatch(/greenlight_gate_live_reads_total\{kind="Canary",result="failed"\} \d/);
});

test('answers Flagger with the status, the code and the revision, naming no approver', async () => {
  await approve(cluster.kube, ref, { note: 'github:ana-gh https://ci.example/run/7' });
  const gate = await serve();
  await eventually(async () => (await gate.promote()).status === 200);
  const body = await (await gate.promote()).text();
  expect(JSON.parse(body)).toEqual({
    allowed: true,
    code: 'Approved',
    revision: 'rev-1',
    reason: 'The revision of Canary openfaas-fn/chatbot under analysis is approved.',
  });
  expect(body).not.toMatch(/ana-gh|ci\.example|system:anonymous|sandbox-admin/);
});

test('/readyz says which cache is not synced and why; /healthz stays 200', async () => {
  const unreachable = new KubeConfig();
  unreachable.loadFromString(
    cluster.api.kubeconfig().replace(cluster.api.url, 'http://127.0.0.1:1'),
  );
  const cold = new ObjectCache<V1Deployment>(
    unreachable,
    { apiVersion: 'apps/v1', kind: 'Deployment' },
    { minBackoffMs: 20 },
  );
  void cold.start().catch(() => {});
  try {
    const gate = await serve({ deployments: cold, apiServer: 'http://127.0.0.1:1' });
    await eventually(() => cold.lastError !== undefined);
    const response = await fetch(`${gate.url}/readyz`);
    expect(response.status).toBe(503);
    const body = (await response.json()) as { caches: Record<string, unknown>[] };
    expect(body).toMatchObject({ status: 'not ready', synced: false });
    expect(body.caches).toEqual([
      { cache: 'Canary', synced: true },
      {
        cache: 'Deployment',
        synced: false,
        lastError: expect.stringContaining(
          'could not list Deployment: cannot reach the Kubernetes API',
        ),
        fix: expect.stringContaining(
          'The gate cannot reach the Kubernetes API at http://127.0.0.1:1',
        ),
      },
    ]);
    expect((await fetch(`${gate.url}/healthz`)).status).toBe(200);
  } finally {
    cold.stop();
  }
});
