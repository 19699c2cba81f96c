// The e2e tier's mesh stand-in, which invents nothing: the functions' Deployments run as
// real chatbot processes (./pods.ts), an HTTP forward proxy routes to them by Services and
// the weights Flagger wrote (./routes.ts, ./proxy.ts) and counts their actual responses in
// the Linkerd proxy's metrics format (./metrics.ts), and simulated users send messages at a
// rate a scenario sets (./users.ts; zero until it does).
import type { KubeConfig } from '@kubernetes/client-node';
import { ProxyMetrics } from './metrics.ts';
import { startPods, type Pods } from './pods.ts';
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

export async function startMesh(
  kc: KubeConfig,
  namespace: string,
  dir: string,
  log: (line: string) => void,
): Promise<Mesh> {
  const pods = startPods(kc, namespace, dir, log);
  const routes = startRoutes(kc, pods);
  await Promise.all([pods.ready, routes.ready]);
  const metrics = new ProxyMetrics();
  const proxy = await startProxy(routes, metrics, log);
  const users = startUsers(proxy.url, namespace);
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
