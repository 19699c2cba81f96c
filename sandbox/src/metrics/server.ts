import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerQuery, answerQueryRange } from './api.ts';
import type { ApiAnswer } from './api.ts';
import { EXPOSITION_CONTENT_TYPE, renderExposition } from '../mesh/index.ts';
import type { Scrapes } from './scrapes.ts';

// The sandbox's Prometheus: `/api/v1/query(_range)`, the Prometheus API the sandbox's
// controller, portal and any PrometheusMetrics read over the mesh's scraped counts, so the
// sandbox and production run the same client code; and `/metrics`, the last scrape as the
// Linkerd proxies' page.

export interface MetricsServerOptions {
  source: Scrapes;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Defaults to 127.0.0.1. */
  host?: string;
}

export interface MetricsServer {
  /** Base URL, e.g. `http://127.0.0.1:9090`: give it to PrometheusMetrics as is. */
  url: string;
  close(): Promise<void>;
}

export async function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const { source } = options;
  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      send(res, {
        status: 500,
        body: { status: 'error', errorType: 'internal', error: String(error) },
      });
    });
  });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const method = req.method ?? 'GET';
    if (url.pathname === '/metrics' && (method === 'GET' || method === 'HEAD')) {
      res.writeHead(200, { 'content-type': EXPOSITION_CONTENT_TYPE });
      res.end(renderExposition(source.samplesAt(source.now()) ?? []));
      return;
    }
    if (url.pathname === '/-/healthy' || url.pathname === '/-/ready') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('Greenlight sandbox metrics are ready.\n');
      return;
    }
    const api = { '/api/v1/query': answerQuery, '/api/v1/query_range': answerQueryRange }[
      url.pathname
    ];
    if (!api) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('404 page not found\n');
      return;
    }
    if (method !== 'GET' && method !== 'POST') {
      send(res, {
        status: 405,
        body: { status: 'error', errorType: 'bad_data', error: `method ${method} not allowed` },
      });
      return;
    }
    // Like Prometheus: parameters in the URL, or a form body on POST (fleet queries are long).
    const params = new URLSearchParams(url.search);
    if (method === 'POST') {
      for (const [name, value] of new URLSearchParams(await body(req))) params.append(name, value);
    }
    send(res, api(source, params));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function send(res: ServerResponse, { status, body }: ApiAnswer): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
