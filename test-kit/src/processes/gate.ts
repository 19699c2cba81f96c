// The gate in-process on a free port, over a kubeconfig, with Flagger's payloads for it.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { KubeConfig, V1Deployment } from '@kubernetes/client-node';
import type { Canary } from 'flagger-types';
import {
  canaryChecksum,
  createKubeClient,
  createObjectReader,
  ObjectCache,
  type KubeClient,
} from '@greenlight/core';
import { writeCanaryStatus } from '../flagger/status-writer.ts';
import { createGateServer, DecisionRecorder, GateMetrics } from '@greenlight/gate';

export interface RunningGate {
  url: string;
  recorder: DecisionRecorder;
  metrics: GateMetrics;
  post(path: string, body: unknown, init?: RequestInit): Promise<Response>;
  stop(): Promise<void>;
}

/** The gate's two caches over `kc`, not started: the Canaries and their target Deployments. */
export function gateCaches(kc: KubeConfig): {
  canaries: ObjectCache<Canary>;
  deployments: ObjectCache<V1Deployment>;
} {
  return {
    canaries: new ObjectCache<Canary>(kc, { apiVersion: 'flagger.app/v1beta1', kind: 'Canary' }),
    deployments: new ObjectCache<V1Deployment>(kc, { apiVersion: 'apps/v1', kind: 'Deployment' }),
  };
}

/** Stops a gate started over `caches`: its caches, then its decisions written, then its server. */
export async function stopGate(
  caches: ReturnType<typeof gateCaches>,
  recorder: DecisionRecorder,
  server: Server,
): Promise<void> {
  caches.canaries.stop();
  caches.deployments.stop();
  await recorder.flush();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

/** Starts a gate replica as `greenlight-gate` does: its own caches, its own port. */
export async function startGate(
  kc: KubeConfig,
  options: { sync?: boolean } = {},
): Promise<RunningGate> {
  const { canaries, deployments } = gateCaches(kc);
  const metrics = new GateMetrics();
  const recorder = new DecisionRecorder(createKubeClient(kc));
  const server: Server = createGateServer({
    canaries,
    deployments,
    live: createObjectReader(kc),
    metrics,
    recorder,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  if (options.sync !== false) await Promise.all([canaries.start(), deployments.start()]);
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    recorder,
    metrics,
    post: (path, body, init = {}) =>
      fetch(`${url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: typeof body === 'string' ? body : JSON.stringify(body),
        ...init,
      }),
    stop: () => stopGate({ canaries, deployments }, recorder, server),
  };
}

/** The body Flagger POSTs to a webhook (pkg/controller/webhook.go: CanaryWebhookPayload). */
export function flaggerPayload(
  name = 'chatbot',
  namespace = 'openfaas-fn',
  phase = 'Progressing',
  checksum = 'a1b2c3',
) {
  return { name, namespace, phase, checksum, metadata: {} };
}

/**
 * Puts the Canary where Flagger holds it for confirm-promotion (WaitingPromotion, its
 * Promoted condition Unknown) and answers the payload Flagger then sends: its checksum is
 * canaryChecksum of that status, as pkg/controller/webhook.go computes it.
 */
export async function waitingPromotion(
  apiUrl: string,
  kube: KubeClient,
  name = 'chatbot',
  namespace = 'openfaas-fn',
) {
  await writeCanaryStatus(apiUrl, { namespace, name }, 'WaitingPromotion');
  const canary = await kube.get<Canary>({
    apiVersion: 'flagger.app/v1beta1',
    kind: 'Canary',
    namespace,
    name,
  });
  return flaggerPayload(name, namespace, 'WaitingPromotion', canaryChecksum(canary?.status));
}
