import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import type { KubeConfig, V1Service } from '@kubernetes/client-node';
import { ObjectCache } from '@greenlight/core';
import type { Pods } from './pods.ts';

// Not a mesh: what cluster DNS and kube-proxy give a client, for the one client in the sandbox
// that dials Services by name — the real prober, which reaches `<name>-canary.<namespace>:<port>`.
// An HTTP proxy on loopback (CONNECT, as Node's fetch uses one under setGlobalProxyFromEnv /
// NODE_USE_ENV_PROXY) that joins `<service>.<namespace>[.svc[.cluster.local]]:<port>` to a pod
// the Service's selector picks (./pods.ts), byte for byte. It routes by selector only, not by
// TrafficSplit weights: users' traffic is still the TrafficModel's (../metrics).

export interface ServiceProxy {
  /** `http://127.0.0.1:<port>`: HTTP_PROXY for the prober. */
  url: string;
  ready: Promise<void>;
  close(): Promise<void>;
}

export async function startServiceProxy(kubeconfig: KubeConfig, pods: Pods): Promise<ServiceProxy> {
  const services = new ObjectCache<V1Service>(kubeconfig, { apiVersion: 'v1', kind: 'Service' });
  const tunnels = new Set<Socket>();
  let turn = 0;
  const server: Server = createServer((_request, response) => {
    response.writeHead(405).end('this proxy only tunnels (CONNECT)\n');
  });
  server.on('connect', (request, client: Socket, head: Buffer) => {
    const pod = podFor(request.url ?? '');
    if (!pod) return void client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
    const upstream = connect(Number(new URL(pod.url).port), '127.0.0.1', () => {
      tunnels.add(client).add(upstream);
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    const forget = () => tunnels.delete(client) && tunnels.delete(upstream);
    upstream.on('error', () => client.destroy()).on('close', forget);
    client.on('error', () => upstream.destroy());
  });

  const podFor = (hostPort: string) => {
    const match = /^([a-z0-9-]+)\.([a-z0-9-]+)(?:\.svc(?:\.cluster\.local)?)?:(\d+)$/.exec(
      hostPort,
    );
    if (!match) return undefined;
    const [, name = '', namespace = '', port] = match;
    const service = services.get(namespace, name);
    if (!service?.spec?.ports?.some((p) => p.port === Number(port))) return undefined;
    const ready = pods.select(namespace, service.spec.selector ?? {});
    return ready[turn++ % Math.max(1, ready.length)];
  };

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    ready: services.start(),
    async close() {
      services.stop();
      for (const socket of tunnels) socket.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
