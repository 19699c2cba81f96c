// The mesh stand-in, which invents nothing: Deployments run as real chatbot code (./pods.ts,
// started by the caller's `launch`), an HTTP forward proxy routes to them by Services and
// the weights Flagger wrote (./routes.ts, ./proxy.ts) and counts their actual responses in
// the Linkerd proxy's metrics format (./metrics.ts), and simulated users send messages at a
// rate the caller sets (./users.ts; zero until it does). The sandbox runs the chatbot in
// its own process; the e2e tier runs one process per Deployment (test/e2e/harness/mesh.ts).
import type { KubeConfig } from '@kubernetes/client-node';
import { ProxyMetrics } from './metrics.ts';
import { startPods, type Launch, type Pods } from './pods.ts';
import { startProxy } from './proxy.ts';
import { startRoutes } from './routes.ts';
import { startUsers, type Users } from './users.ts';

export interface Mesh {
  /** The forward proxy: HTTP_PROXY for clients; Prometheus scrapes `<url>/metrics`. */
  url: string;
  metrics: ProxyMetrics;
  pods: Pods;
  users: Users;
  stop(): Promise<void>;
}

export interface MeshOptions {
  kubeconfig: KubeConfig;
  /** The namespace whose Deployments run; default every namespace. */
  namespace?: string;
  /** What runs a Deployment's code. */
  launch: Launch;
  log: (line: string) => void;
}

export async function startMesh(options: MeshOptions): Promise<Mesh> {
  const { kubeconfig, namespace, launch, log } = options;
  const pods = startPods(kubeconfig, namespace, launch, log);
  const routes = startRoutes(kubeconfig, pods);
  await Promise.all([pods.ready, routes.ready]);
  const metrics = new ProxyMetrics();
  const proxy = await startProxy(routes, metrics, log);
  const users = startUsers(proxy.url, namespace ?? 'openfaas-fn');
  return {
    url: proxy.url,
    metrics,
    pods,
    users,
    async stop() {
      await users.stop();
      await proxy.close();
      routes.stop();
      await pods.stop();
    },
  };
}

export { ProxyMetrics, classification } from './metrics.ts';
export { startPods, chatbotInProcess } from './pods.ts';
export type { Launch, Pod, Pods, Replica } from './pods.ts';
export { startProxy, serviceOf } from './proxy.ts';
export type { Proxy } from './proxy.ts';
export { startRoutes } from './routes.ts';
export type { Routes } from './routes.ts';
export { startUsers, USER_MESSAGES } from './users.ts';
export type { Users } from './users.ts';
export { followCanaries } from './canary-users.ts';
export { EXPOSITION_CONTENT_TYPE, renderExposition, formatValue, seriesKey } from './exposition.ts';
export type { Sample } from './exposition.ts';
export { LATENCY_BOUNDS_MS } from './buckets.ts';
