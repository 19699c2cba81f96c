import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { createKubeClient, createObjectReader } from '@greenlight/core';
import {
  deployChatbot,
  eventually,
  startTestCluster,
  type TestCluster,
} from '@greenlight/test-kit/cluster';
import { forward } from '@greenlight/test-kit/faults/forward';
import { gateCaches, waitingPromotion } from '@greenlight/test-kit/processes/gate';
import { createGateServer, DecisionRecorder, GateMetrics } from '../src/index.ts';

// The gate's Event writes go through a proxy that holds every Event POST unanswered (an API
// server that stalls them); everything else reaches the sandbox API server as it is.

let cluster: TestCluster;
let proxy: Server;
let gate: Server;
const heldPosts: ServerResponse[] = [];

afterEach(async () => {
  heldPosts.splice(0).forEach((response) => response.destroy());
  gate.closeAllConnections();
  await new Promise((resolve) => gate.close(resolve));
  proxy.closeAllConnections();
  await new Promise((resolve) => proxy.close(resolve));
  await cluster.close();
});

test('answers while its Event writes stall, with no more than the limit in flight', async () => {
  cluster = await startTestCluster();
  await deployChatbot(cluster.kube, { revision: 'rev-1' });
  const payload = await waitingPromotion(cluster.api.url, cluster.kube);
  const upstream = new URL(cluster.api.url);
  proxy = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://proxy').pathname;
    if (req.method === 'POST' && path.endsWith('/events')) heldPosts.push(res);
    else forward(upstream, req, res);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const stalling = new KubeConfig();
  const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  stalling.loadFromString(cluster.api.kubeconfig().replace(cluster.api.url, proxyUrl));

  const { canaries, deployments } = gateCaches(cluster.kc);
  const recorder = new DecisionRecorder(createKubeClient(stalling), { concurrency: 4 });
  gate = createGateServer({
    canaries,
    deployments,
    live: createObjectReader(cluster.kc),
    metrics: new GateMetrics(),
    recorder,
  });
  await new Promise<void>((resolve) => gate.listen(0, '127.0.0.1', resolve));
  await Promise.all([canaries.start(), deployments.start()]);
  const gateUrl = `http://127.0.0.1:${(gate.address() as AddressInfo).port}`;
  const ask = (checksum: string) =>
    fetch(`${gateUrl}/gate/promotion`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...payload, checksum }),
    });

  // Each checksum is another analysis, so another decision and another Event write.
  for (let i = 0; i < 4; i++) expect((await ask(`analysis-${i}`)).status).toBe(403);
  await eventually(() => heldPosts.length === 4);
  for (let i = 4; i < 12; i++) expect((await ask(`analysis-${i}`)).status).toBe(403);
  expect(heldPosts).toHaveLength(4);
  canaries.stop();
  deployments.stop();
});
