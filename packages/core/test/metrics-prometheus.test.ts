import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { MetricsUnavailableError, PrometheusMetrics } from '../src/metrics/index.ts';

// A small HTTP server on 127.0.0.1 serving canned Prometheus API answers, to check the
// HTTP path (form POSTs to /api/v1/query and /api/v1/query_range) and the error paths.
// The real Prometheus, scraping real Linkerd-format metrics, runs in the e2e tier.

const fixture = (name: string): string =>
  readFileSync(new URL(`./fixtures/metrics/${name}.json`, import.meta.url), 'utf8');

interface Seen {
  method: string;
  path: string;
  params: URLSearchParams;
  authorization?: string;
}

type Reply = (seen: Seen) => { status?: number; body: string };

let server: Server;
let base: string;
let reply: Reply;
let seen: Seen[];

beforeAll(async () => {
  server = createServer((request: IncomingMessage, response: ServerResponse) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      const entry: Seen = {
        method: request.method ?? '',
        path: new URL(request.url ?? '/', 'http://x').pathname,
        params: new URLSearchParams(body),
        authorization: request.headers.authorization,
      };
      seen.push(entry);
      const { status = 200, body: answer } = reply(entry);
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(() => {
  seen = [];
  reply = () => ({ body: fixture('empty') });
});

/** Answers each golden query with its canned result; the latency query with the three quantiles' results, tagged as Prometheus' label_replace tags them. */
const byQuery =
  (prefix = ''): Reply =>
  ({ params }) => {
    const query = params.get('query') ?? '';
    if (!query.startsWith('label_replace(')) return { body: fixture(`${prefix}responses`) };
    const tagged = (['p50', 'p95', 'p99'] as const).flatMap((name, i) => {
      const file = `${prefix}${name}`;
      if (['range-p50', 'range-p95'].includes(file)) return [];
      const { data } = JSON.parse(fixture(file)) as {
        data: { result: { metric: Record<string, string> }[] };
      };
      const quantile = ['0.5', '0.95', '0.99'][i] as string;
      return data.result.map((r) => ({ ...r, metric: { ...r.metric, quantile } }));
    });
    const type = prefix === 'range-' ? 'matrix' : 'vector';
    return {
      body: JSON.stringify({ status: 'success', data: { resultType: type, result: tagged } }),
    };
  };

const now = () => new Date('2026-11-25T10:00:00Z');

test('answers golden metrics for blue and green from form POSTs to /api/v1/query', async () => {
  reply = byQuery();
  const metrics = new PrometheusMetrics({ url: base, now });
  const golden = await metrics.golden({ namespace: 'openfaas-fn', name: 'chatbot' }, '5m');

  expect(golden).toEqual({
    blue: { successRate: 99, rps: 20, p50Ms: 12.5, p95Ms: 48.75, p99Ms: 97.5 },
    green: { successRate: 90, rps: 5, p50Ms: 14, p95Ms: 95, p99Ms: 480 },
    window: '5m',
    at: '2026-11-25T10:00:00.000Z',
  });
  expect(seen).toHaveLength(2);
  for (const request of seen) {
    expect(request).toMatchObject({ method: 'POST', path: '/api/v1/query' });
    expect(request.params.get('time')).toBe('1795600800');
  }
});

test('answers a whole fleet in two queries', async () => {
  reply = byQuery();
  const metrics = new PrometheusMetrics({ url: `${base}/`, now });
  const fleet = await metrics.fleet(
    [
      { namespace: 'openfaas-fn', name: 'chatbot' },
      { namespace: 'openfaas-fn', name: 'faq-bot' },
      { namespace: 'openfaas-fn', name: 'silent-bot' },
    ],
    '5m',
  );
  expect(seen).toHaveLength(2);
  expect([...fleet.keys()]).toEqual([
    'openfaas-fn/chatbot',
    'openfaas-fn/faq-bot',
    'openfaas-fn/silent-bot',
  ]);
  expect(fleet.get('openfaas-fn/faq-bot')?.green.successRate).toBe(0);
  expect(fleet.get('openfaas-fn/silent-bot')?.blue.rps).toBeNull();
});

test('keeps a path prefix and sends URL credentials as Basic auth', async () => {
  const metrics = new PrometheusMetrics({
    url: `http://reader:s3cret@${base.slice('http://'.length)}/prometheus`,
    now,
  });
  await metrics.golden({ namespace: 'openfaas-fn', name: 'chatbot' }, '5m');
  expect(seen[0]?.path).toBe('/prometheus/api/v1/query');
  expect(seen[0]?.authorization).toBe(`Basic ${Buffer.from('reader:s3cret').toString('base64')}`);
});

test('reads a time series from /api/v1/query_range over the window', async () => {
  reply = byQuery('range-');
  const metrics = new PrometheusMetrics({ url: base, now });
  const series = await metrics.series({ namespace: 'openfaas-fn', name: 'chatbot' }, '1h', 60);

  expect(seen).toHaveLength(2);
  expect(seen[0]?.path).toBe('/api/v1/query_range');
  expect(Object.fromEntries(seen[0]?.params ?? [])).toMatchObject({
    start: String(1795600800 - 3600),
    end: '1795600800',
    step: '60',
  });
  expect(seen[0]?.params.get('query')).toContain('[60s]');
  expect(series).toMatchObject({
    window: '1h',
    stepSeconds: 60,
    from: '2026-11-25T09:00:00.000Z',
    to: '2026-11-25T10:00:00.000Z',
  });
  expect(series.green.successRate.map(({ v }) => v)).toEqual([80, 90, null]);
});

describe('when Prometheus cannot answer', () => {
  const ref = { namespace: 'openfaas-fn', name: 'chatbot' };

  test('an error status becomes a MetricsUnavailableError that quotes Prometheus', async () => {
    reply = () => ({ status: 400, body: fixture('error') });
    const attempt = new PrometheusMetrics({ url: base }).golden(ref, '5m');
    await expect(attempt).rejects.toBeInstanceOf(MetricsUnavailableError);
    await expect(attempt).rejects.toMatchObject({
      status: 400,
      errorType: 'bad_data',
      message: `Prometheus at ${base} refused the query (bad_data): invalid parameter "query": 1:1: parse error: unexpected end of input; golden metrics are unavailable.`,
    });
  });

  test('an HTTP error without a Prometheus body names the status', async () => {
    reply = () => ({ status: 502, body: '<html>Bad Gateway</html>' });
    await expect(new PrometheusMetrics({ url: base }).golden(ref, '5m')).rejects.toMatchObject({
      name: 'MetricsUnavailableError',
      status: 502,
      message: `Prometheus at ${base} answered HTTP 502 on /api/v1/query; golden metrics are unavailable.`,
    });
  });

  test('a 200 that is not the Prometheus API is refused, not trusted', async () => {
    reply = () => ({ body: '{"hello":"world"}' });
    await expect(new PrometheusMetrics({ url: base }).golden(ref, '5m')).rejects.toThrow(
      'answered a body that is not the Prometheus HTTP API on /api/v1/query',
    );
  });

  test('an unreachable server is reported without the credentials of its URL', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    const attempt = new PrometheusMetrics({ url: `http://reader:s3cret@127.0.0.1:${port}` }).golden(
      ref,
      '5m',
    );
    await expect(attempt).rejects.toThrow(
      `Prometheus at http://127.0.0.1:${port} could not be reached`,
    );
    await expect(attempt).rejects.not.toThrow('s3cret');
  });

  test('a server that does not answer in time is reported as such', async () => {
    reply = () => ({ body: fixture('empty') });
    const slow = createServer(() => {
      /* never answers */
    });
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(slow.address() as AddressInfo).port}`;
    try {
      await expect(
        new PrometheusMetrics({ url, timeoutMs: 100 }).golden(ref, '5m'),
      ).rejects.toThrow('did not answer within 100 ms');
    } finally {
      slow.closeAllConnections();
      await new Promise<void>((resolve) => slow.close(() => resolve()));
    }
  });
});
