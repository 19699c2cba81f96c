import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig, type V1Deployment } from '@kubernetes/client-node';
import type { Canary } from 'flagger-types';
import {
  createKubeClient,
  createObjectReader,
  ObjectCache,
  UserError,
  type KubeClient,
} from '@greenlight/core';
import { createGateServer, DecisionRecorder, GateMetrics } from '@greenlight/gate';
import { startApiServer, type ApiServer } from './apiserver/index.ts';
import { startController, type Controller } from './controller/index.ts';
import { chatbotInProcess, followCanaries, startMesh, type Mesh } from './mesh/index.ts';
import { Scrapes, startMetricsServer, type MetricsServer } from './metrics/index.ts';
import { startKubelet, type Kubelet } from './simulate/kubelet.ts';

// The whole sandbox in one process: the Kubernetes API stand-in, the kubelet stand-in, the
// mesh (every Deployment runs the real example chatbot; simulated users talk to every
// Canary's chatbot; the proxy counts the actual replies), a Prometheus over those counts,
// the Flagger-behaving controller and Greenlight's real gate. Everything but the API
// stand-in talks to it over HTTP.

/** Messages per second (of sandbox time) each chatbot's simulated users send by default. */
export const DEFAULT_USERS_PER_SECOND = 2;

export interface SandboxOptions {
  /** Port of the API stand-in on 127.0.0.1; default any free port. */
  port?: number;
  /** Port of the gate; default any free port. */
  gatePort?: number;
  /** Port of the metrics server; default any free port. */
  metricsPort?: number;
  /** How many times faster than a cluster it runs (see ControllerOptions.speed); default 1. */
  speed?: number;
  /**
   * Messages per second of sandbox time the simulated users send each chatbot with a Canary
   * (so `speed` times as many per real second); 0: none, only what a probe or a test sends.
   * Default DEFAULT_USERS_PER_SECOND.
   */
  users?: number;
  /** How long a simulated Deployment rollout takes; default 0. */
  rolloutMs?: number;
  /** Controller, gate and simulator log lines; default none. */
  log?: (line: string) => void;
}

export interface Sandbox {
  api: ApiServer;
  /** A client configuration for the API stand-in. */
  kubeconfig: KubeConfig;
  kube: KubeClient;
  /** The mesh: the chatbots' code, its proxy (HTTP_PROXY for clients), counts and users. */
  mesh: Mesh;
  metrics: MetricsServer;
  /** Base URL of the gate: render Canaries with it as `gateUrl`. */
  gateUrl: string;
  /** Base URL of the Prometheus stand-in: render Canaries with it as `prometheusAddress`. */
  metricsUrl: string;
  speed: number;
  controller: Controller;
  close(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const log = options.log ?? (() => undefined);
  const speed = options.speed ?? 1;
  const users = usersPerSecond(options.users);
  const api = await startApiServer({ port: options.port ?? 0 });
  const kubeconfig = new KubeConfig();
  kubeconfig.loadFromString(api.kubeconfig());
  const kube = createKubeClient(kubeconfig);
  const stops: (() => Promise<void> | void)[] = [() => api.close()];
  const close = async () => {
    for (const stop of stops.reverse()) await stop();
  };

  try {
    const kubelet: Kubelet = startKubelet({ kubeconfig, rolloutMs: options.rolloutMs, log });
    stops.push(() => kubelet.stop());
    const mesh = await startMesh({ kubeconfig, launch: chatbotInProcess, log });
    stops.push(() => mesh.stop());
    // A sandbox second lasts 1/speed of a real one and carries as many messages as in a
    // cluster, so a metric window (scaled like the interval) holds as many as it would there.
    const talking = followCanaries(kubeconfig, mesh.users, users * speed);
    stops.push(() => talking.stop());
    // Scraped several times per analysis step, whatever the speed.
    const scrapes = new Scrapes(mesh.metrics, {
      intervalMs: Math.min(1000, Math.max(10, Math.round(1000 / speed))),
      retentionMs: (30 * 60_000) / speed,
    });
    stops.push(() => scrapes.stop());
    const metrics = await startMetricsServer({ source: scrapes, port: options.metricsPort ?? 0 });
    stops.push(() => metrics.close());

    const gate = await startGate(kubeconfig, options.gatePort ?? 0, log);
    stops.push(() => gate.stop());

    const controller = startController({ kubeconfig, metricsServer: metrics.url, speed, log });
    stops.push(() => controller.stop());

    await Promise.all([kubelet.ready, talking.ready, gate.ready, controller.ready]);
    return {
      api,
      kubeconfig,
      kube,
      mesh,
      metrics,
      gateUrl: gate.url,
      metricsUrl: metrics.url,
      speed,
      controller,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

function usersPerSecond(users: number | undefined): number {
  const rate = users ?? DEFAULT_USERS_PER_SECOND;
  if (!(Number.isFinite(rate) && rate >= 0)) {
    throw new UserError(`must be a number of messages per second, 0 or more, got ${users}`, {
      field: 'users',
      hint: 'Give 0 for no simulated users, or a rate such as 2',
    });
  }
  return rate;
}

/** Greenlight's gate as `greenlight-gate` runs it: its own caches, its own port. */
async function startGate(kubeconfig: KubeConfig, port: number, log: (line: string) => void) {
  const canaries = new ObjectCache<Canary>(kubeconfig, {
    apiVersion: 'flagger.app/v1beta1',
    kind: 'Canary',
  });
  const deployments = new ObjectCache<V1Deployment>(kubeconfig, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
  });
  const recorder = new DecisionRecorder(createKubeClient(kubeconfig), {
    onError: (error) => log(`gate: could not record event: ${(error as Error).message}`),
  });
  const server: Server = createGateServer({
    canaries,
    deployments,
    live: createObjectReader(kubeconfig),
    metrics: new GateMetrics(),
    recorder,
    log,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    ready: Promise.all([canaries.start(), deployments.start()]),
    async stop() {
      canaries.stop();
      deployments.stop();
      await recorder.flush();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
