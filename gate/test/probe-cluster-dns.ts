import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';

// A stand-in for what a cluster gives the prober and a test on one machine cannot: DNS names
// for Services. It is an HTTP proxy (CONNECT, as Node's fetch uses one under
// NODE_USE_ENV_PROXY / setGlobalProxyFromEnv) that joins `<service>.<namespace>:<port>` to the
// loopback server registered for it and refuses every other name. It reads and changes no
// byte of the requests or replies, and records the names asked for.

export interface ClusterDns {
  /** `http://127.0.0.1:<port>`: the proxy's address, for HTTP_PROXY. */
  url: string;
  /** Every `host:port` a client asked for, in order. */
  asked: string[];
  /** Routes `host:port` (e.g. `chatbot-canary.openfaas-fn:8080`) to a loopback port. */
  route(hostPort: string, port: number): void;
  close(): Promise<void>;
}

export async function startClusterDns(): Promise<ClusterDns> {
  const routes = new Map<string, number>();
  const asked: string[] = [];
  const tunnels = new Set<{ destroy(): void }>();
  const server: Server = createServer((_request, response) => {
    response.writeHead(405).end('this proxy only tunnels (CONNECT)');
  });
  server.on('connect', (request, client, head) => {
    const hostPort = request.url ?? '';
    asked.push(hostPort);
    const port = routes.get(hostPort);
    if (port === undefined) {
      client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
      return;
    }
    const upstream = connect(port, '127.0.0.1', () => {
      tunnels.add(client).add(upstream);
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    asked,
    route: (hostPort, port) => routes.set(hostPort, port),
    close: async () => {
      for (const socket of tunnels) socket.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
