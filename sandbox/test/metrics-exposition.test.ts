import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { EXPOSITION_CONTENT_TYPE, ProxyMetrics } from '../src/mesh/index.ts';
import { Scrapes, startMetricsServer, type MetricsServer } from '../src/metrics/index.ts';

// A real Prometheus scrapes the mesh's page in the e2e tier, so its format is checked twice:
// against a hand-checked golden sample, and by a small parser of the text format
// (prometheus.io/docs/instrumenting/exposition_formats/) over busier counts.

test('writes a Deployment as the Linkerd proxy would (hand-checked golden sample)', () => {
  const metrics = new ProxyMetrics();
  for (const ms of [25, 28, 35, 45, 70, 90]) metrics.record('apps', 'bot-primary', 200, ms);
  const L = 'direction="inbound",namespace="apps",deployment="bot-primary",tls="true"';
  const S = `${L},status_code="200"`;
  const bucket = (le: string, count: number) =>
    `response_latency_ms_bucket{${S},le="${le}"} ${count}`;
  const counts: [string, number][] = [
    ...['1', '2', '3', '4', '5', '10', '20'].map((le): [string, number] => [le, 0]),
    ['30', 2],
    ['40', 3],
    ['50', 4],
    ...['100', '200', '300', '400', '500', '1000', '2000', '3000', '4000', '5000']
      .concat(['10000', '20000', '30000', '40000', '50000', '+Inf'])
      .map((le): [string, number] => [le, 6]),
  ];
  expect(metrics.exposition()).toBe(
    [
      '# HELP request_total Total count of HTTP requests.',
      '# TYPE request_total counter',
      `request_total{${L}} 6`,
      '# HELP response_total Total count of HTTP responses.',
      '# TYPE response_total counter',
      `response_total{${S},classification="success"} 6`,
      "# HELP response_latency_ms Elapsed times between a request's headers being received and its response stream completing",
      '# TYPE response_latency_ms histogram',
      ...counts.map(([le, count]) => bucket(le, count)),
      `response_latency_ms_sum{${S}} 293`,
      `response_latency_ms_count{${S}} 6`,
      '',
    ].join('\n'),
  );
});

test('writes nothing before any response', () => {
  expect(new ProxyMetrics().exposition()).toBe('');
});

interface ParsedSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** A strict reader of the text format: throws on any line it does not understand. */
function parseExposition(text: string): { types: Map<string, string>; samples: ParsedSample[] } {
  if (!text.endsWith('\n')) throw new Error('the last line must end with a newline');
  const types = new Map<string, string>();
  const helped = new Set<string>();
  const samples: ParsedSample[] = [];
  const seen = new Set<string>();
  for (const line of text.slice(0, -1).split('\n')) {
    const meta = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+)$/.exec(line);
    if (meta) {
      const [, kind, name = '', rest = ''] = meta;
      if (kind === 'HELP') helped.add(name);
      else if (!['counter', 'gauge', 'histogram', 'summary', 'untyped'].includes(rest)) {
        throw new Error(`unknown type in: ${line}`);
      } else if (types.has(name)) throw new Error(`second TYPE for ${name}`);
      else types.set(name, rest);
      continue;
    }
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)\{(.*)\} (\S+)$/.exec(line);
    if (!sample) throw new Error(`not a sample line: ${line}`);
    const [, name = '', labelText = '', valueText = ''] = sample;
    const labels: Record<string, string> = {};
    const pair = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"(,|$)/y;
    while (pair.lastIndex < labelText.length) {
      const m = pair.exec(labelText);
      if (!m) throw new Error(`bad labels in: ${line}`);
      labels[m[1] ?? ''] = (m[2] ?? '').replace(/\\n/g, '\n').replace(/\\(.)/g, '$1');
    }
    const value = valueText === '+Inf' ? Infinity : Number(valueText);
    if (Number.isNaN(value) && valueText !== 'NaN') throw new Error(`bad value in: ${line}`);
    const family = [...types.keys()].find(
      (f) =>
        name === f || (/^_(bucket|sum|count)$/.test(name.slice(f.length)) && name.startsWith(f)),
    );
    if (!family || !helped.has(family)) throw new Error(`sample before its HELP and TYPE: ${line}`);
    const key = `${name}${JSON.stringify(labels)}`;
    if (seen.has(key)) throw new Error(`duplicate series: ${line}`);
    seen.add(key);
    samples.push({ name, labels, value });
  }
  return { types, samples };
}

/** Responses of three Deployments, some failed, latencies spread over the buckets. */
function busy(): ProxyMetrics {
  const metrics = new ProxyMetrics();
  for (let i = 0; i < 200; i++) {
    metrics.record('apps', 'bot', i % 5 === 0 ? 500 : 200, (i * 37) % 1200);
    metrics.record('apps', 'bot-primary', i % 50 === 0 ? 503 : 200, (i * 7) % 90);
    metrics.record('team-b', 'faq-primary', 200, 3 + (i % 4));
  }
  return metrics;
}

test('writes valid text format with cumulative histograms whose +Inf bucket is the count', () => {
  const { types, samples } = parseExposition(busy().exposition());
  expect(Object.fromEntries(types)).toEqual({
    request_total: 'counter',
    response_total: 'counter',
    response_latency_ms: 'histogram',
  });
  const responses = samples.filter((s) => s.name === 'response_total');
  expect(
    responses.map(
      (s) =>
        `${s.labels.namespace}/${s.labels.deployment} ${s.labels.status_code} ${s.labels.classification}`,
    ),
  ).toEqual([
    'apps/bot-primary 200 success',
    'apps/bot-primary 503 failure',
    'apps/bot 200 success',
    'apps/bot 500 failure',
    'team-b/faq-primary 200 success',
  ]);
  for (const response of responses) {
    const labels = { ...response.labels };
    delete labels.classification;
    expect(labels.direction).toBe('inbound');
    expect(labels.tls).toBe('true');
    const same = (s: ParsedSample) =>
      JSON.stringify({ ...s.labels, le: undefined }) ===
      JSON.stringify({ ...labels, le: undefined });
    const buckets = samples.filter((s) => s.name === 'response_latency_ms_bucket' && same(s));
    expect(buckets.map((b) => b.labels.le)).toEqual([
      ...['1', '2', '3', '4', '5', '10', '20', '30', '40', '50', '100', '200', '300', '400', '500'],
      ...['1000', '2000', '3000', '4000', '5000', '10000', '20000', '30000', '40000', '50000'],
      '+Inf',
    ]);
    const values = buckets.map((b) => b.value);
    expect(values).toEqual([...values].sort((a, b) => a - b));
    const count = samples.find((s) => s.name === 'response_latency_ms_count' && same(s));
    expect(values.at(-1)).toBe(response.value);
    expect(count?.value).toBe(response.value);
  }
  const requests = samples.filter((s) => s.name === 'request_total').map((s) => s.value);
  expect(requests).toEqual([200, 200, 200]);
});

let server: MetricsServer;
const scrapes = new Scrapes(busy(), { intervalMs: 60_000, retentionMs: 60_000 });

beforeAll(async () => {
  server = await startMetricsServer({ source: scrapes, port: 0 });
});

afterAll(async () => {
  scrapes.stop();
  await server.close();
});

test("serves the last scrape at /metrics with the text format content type, as the mesh's page reads", async () => {
  const response = await fetch(`${server.url}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe(EXPOSITION_CONTENT_TYPE);
  expect(await response.text()).toBe(busy().exposition());
});

test('answers 404 off its paths', async () => {
  const response = await fetch(`${server.url}/federate`);
  expect(response.status).toBe(404);
});
