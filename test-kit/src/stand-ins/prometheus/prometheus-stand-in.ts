// A Prometheus HTTP API stand-in for the chatbots of one namespace (by default one,
// <namespace>/chatbot; blue beside green) that answers well, or in one of the ways a real one fails: slow, empty, NaN, +Inf, an
// error body, an HTML 503 from a proxy in front of it, a body cut short.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type PrometheusMode =
  'healthy' | 'slow' | 'empty' | 'nan' | 'inf' | 'error' | 'html-503' | 'truncated';

export interface PrometheusStandIn {
  url: string;
  close(): Promise<void>;
}

export async function startPrometheus(
  mode: PrometheusMode,
  options: { namespace?: string; delayMs?: number; chatbots?: string[] } = {},
): Promise<PrometheusStandIn> {
  const namespace = options.namespace ?? 'openfaas-fn';
  // Every chatbot's series, as Prometheus answers a fleet query without a deployment regex.
  const deployments = (options.chatbots ?? ['chatbot']).flatMap((name) => [
    name,
    `${name}-primary`,
  ]);
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const query = new URLSearchParams(body).get('query') ?? '';
      const answer = () => respond(mode, namespace, deployments, query, res);
      if (mode === 'slow') setTimeout(answer, options.delayMs ?? 1500);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function respond(
  mode: PrometheusMode,
  namespace: string,
  deployments: string[],
  query: string,
  res: import('node:http').ServerResponse,
) {
  const json = (status: number, value: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(value));
  };
  switch (mode) {
    case 'error':
      return json(400, {
        status: 'error',
        errorType: 'bad_data',
        error: 'invalid parameter "query": 1:1: parse error',
      });
    case 'html-503':
      res.writeHead(503, { 'content-type': 'text/html' });
      return res.end('<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>');
    case 'truncated':
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end('{"status":"success","data":{"resultType":"vec');
    case 'empty':
      return json(200, { status: 'success', data: { resultType: 'vector', result: [] } });
  }
  const value = (healthy: string) => (mode === 'nan' ? 'NaN' : mode === 'inf' ? '+Inf' : healthy);
  const now = Date.now() / 1000;
  const sample = (metric: Record<string, string>, v: string) => ({ metric, value: [now, v] });
  const result: unknown[] = [];
  for (const deployment of deployments) {
    const labels = { namespace, deployment };
    if (query.includes('response_total')) {
      result.push(sample({ ...labels, classification: 'success' }, value('99')));
      result.push(sample({ ...labels, classification: 'failure' }, value('1')));
    } else {
      // core's latency query: p50, p95 and p99 at once, each tagged with its quantile.
      for (const quantile of ['0.5', '0.95', '0.99']) {
        result.push(sample({ ...labels, quantile }, value('120')));
      }
    }
  }
  json(200, { status: 'success', data: { resultType: 'vector', result } });
}
