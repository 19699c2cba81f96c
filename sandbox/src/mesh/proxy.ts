// The stand-in for Linkerd's proxies: an HTTP forward proxy on loopback. A client sends its
// request with an absolute URL, `http://<service>.<namespace>[.svc.cluster.local]:<port>/…`
// or, as Node's fetch does (NODE_USE_ENV_PROXY=1 HTTP_PROXY=<url>, undici tunnels even
// plain HTTP), `CONNECT <service>.<namespace>:<port>` and then its requests in the tunnel,
// which the proxy reads as HTTP as Linkerd's does; either way as its own outbound proxy
// would take it;
// the request goes to a pod picked by ./routes.ts and the pod's actual response is counted
// as that pod's inbound proxy counts it (./metrics.ts). A path without a host
// (`GET /metrics`) is the proxies' metrics page, which Prometheus scrapes. No endpoints:
// 503, counted nowhere (no pod's proxy saw it), as Linkerd answers.
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { EXPOSITION_CONTENT_TYPE } from './exposition.ts';
import type { ProxyMetrics } from './metrics.ts';
import type { Routes } from './routes.ts';

export interface Proxy {
  /** `http://127.0.0.1:<port>`: HTTP_PROXY for clients, `<url>/metrics` for Prometheus. */
  url: string;
  close(): Promise<void>;
}

export async function startProxy(
  routes: Routes,
  metrics: ProxyMetrics,
  log: (line: string) => void,
): Promise<Proxy> {
  const server = createServer((req, res) => {
    if ((req.url ?? '/').startsWith('/')) return metricsPage(req, res, metrics);
    forward(req, res, req.url ?? '', routes, metrics, log);
  });
  // A tunnel's requests have relative targets; their Host is the Service they are for.
  const tunnelled = createServer((req, res) =>
    forward(req, res, `http://${req.headers.host ?? ''}${req.url ?? '/'}`, routes, metrics, log),
  );
  server.on('connect', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    if (head.length > 0) socket.unshift(head);
    tunnelled.emit('connection', socket);
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        tunnelled.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function metricsPage(req: IncomingMessage, res: ServerResponse, metrics: ProxyMetrics): void {
  if (req.url !== '/metrics') return void res.writeHead(404).end('not found\n');
  res.writeHead(200, { 'content-type': EXPOSITION_CONTENT_TYPE }).end(metrics.exposition());
}

/** `chatbot.openfaas-fn.svc.cluster.local` → { service: chatbot, namespace: openfaas-fn }. */
export function serviceOf(hostname: string): { service: string; namespace: string } | undefined {
  const match = /^([a-z0-9-]+)\.([a-z0-9-]+)(?:\.svc(?:\.cluster\.local)?)?$/.exec(hostname);
  return match ? { service: match[1]!, namespace: match[2]! } : undefined;
}

function forward(
  req: IncomingMessage,
  res: ServerResponse,
  url: string,
  routes: Routes,
  metrics: ProxyMetrics,
  log: (line: string) => void,
): void {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return void res.writeHead(400).end('not an absolute URL\n');
  }
  const address = target.protocol === 'http:' ? serviceOf(target.hostname) : undefined;
  if (!address) return void res.writeHead(502).end(`no Service ${target.host} in this mesh\n`);
  const pod = routes.pick(address.namespace, address.service, req.headers);
  if (!pod) return void res.writeHead(503).end(`no endpoints for ${target.host}\n`);

  const started = performance.now();
  const upstream = request(
    `${pod.url}${target.pathname}${target.search}`,
    { method: req.method, headers: { ...req.headers, host: target.host } },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
      answer.once('end', () =>
        metrics.record(
          pod.namespace,
          pod.deployment,
          answer.statusCode ?? 502,
          performance.now() - started,
        ),
      );
    },
  );
  upstream.once('error', (error) => {
    // The pod went away mid-request (a revision replaced): its proxy answers 502.
    log(`mesh: ${req.method} ${target.href} → ${pod.deployment}: ${error.message}`);
    metrics.record(pod.namespace, pod.deployment, 502, performance.now() - started);
    if (!res.headersSent) res.writeHead(502).end('upstream connection failed\n');
    else res.destroy();
  });
  req.pipe(upstream);
}
