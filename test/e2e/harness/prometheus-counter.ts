// A counting pass-through in front of Prometheus: Flagger queries the same Prometheus every
// interval, so Prometheus's own counters cannot say how many queries one page made. Only
// the client pointed at this proxy is counted.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface PrometheusCounter {
  url: string;
  /** PromQL queries forwarded so far (`/api/v1/query` and `/api/v1/query_range`). */
  readonly queries: number;
  close(): Promise<void>;
}

export async function startPrometheusCounter(prometheusUrl: string): Promise<PrometheusCounter> {
  let queries = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://proxy').pathname;
      if (/\/api\/v1\/query(_range)?$/.test(path)) queries += 1;
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (typeof value === 'string' && !['host', 'connection', 'content-length'].includes(name))
          headers.set(name, value);
      }
      const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
      fetch(new URL(req.url ?? '/', prometheusUrl), { method: req.method, headers, body })
        .then(async (answer) => {
          res.writeHead(answer.status, {
            'content-type': answer.headers.get('content-type') ?? 'application/json',
          });
          res.end(Buffer.from(await answer.arrayBuffer()));
        })
        .catch((error: Error) => {
          res.writeHead(502, { 'content-type': 'text/plain' });
          res.end(`counting proxy: ${error.message}`);
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get queries() {
      return queries;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
