import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { KubeConfig, V1Deployment } from '@kubernetes/client-node';
import type { Canary } from 'flagger-types';
import { createKubeClient, ObjectCache } from '@greenlight/core';
import { createGateServer, DecisionRecorder, GateMetrics } from '../src/index.ts';

export interface RunningGate {
  url: string;
  recorder: DecisionRecorder;
  metrics: GateMetrics;
  post(path: string, body: unknown, init?: RequestInit): Promise<Response>;
  stop(): Promise<void>;
}

/** Starts a gate replica as `greenlight-gate` does: its own caches, its own port. */
export async function startGate(
  kc: KubeConfig,
  options: { sync?: boolean } = {},
): Promise<RunningGate> {
  const canaries = new ObjectCache<Canary>(kc, {
    apiVersion: 'flagger.app/v1beta1',
    kind: 'Canary',
  });
  const deployments = new ObjectCache<V1Deployment>(kc, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
  });
  const metrics = new GateMetrics();
  const recorder = new DecisionRecorder(createKubeClient(kc));
  const server: Server = createGateServer({ canaries, deployments, metrics, recorder });
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
    stop: async () => {
      canaries.stop();
      deployments.stop();
      await recorder.flush();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** The body Flagger POSTs to a webhook (pkg/controller/webhook.go: CanaryWebhookPayload). */
export function flaggerPayload(name = 'chatbot', namespace = 'openfaas-fn', phase = 'Progressing') {
  return { name, namespace, phase, checksum: 'a1b2c3', metadata: {} };
}
