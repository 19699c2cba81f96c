import { afterAll, beforeAll, expect, test } from '@jest/globals';
import {
  EXPOSITION_CONTENT_TYPE,
  parseBehaviour,
  renderExposition,
  startMetricsServer,
  TrafficModel,
} from '../src/metrics/index.ts';
import type { MetricsServer } from '../src/metrics/index.ts';

// A real Prometheus scrapes this page in the e2e tier, so its format is checked twice:
// against a hand-checked golden sample, and by a small parser of the text format
// (prometheus.io/docs/instrumenting/exposition_formats/) over a busier model.

const START = Date.UTC(2025, 0, 1);

test('writes a Deployment as the Linkerd proxy would (hand-checked golden sample)', () => {
  let now = START;
  const model = new TrafficModel({ now: () => now, rps: 2, jitter: 0 });
  model.setWeights('apps', 'bot', { blue: 100, green: 0 });
  now += 3000;

  // 6 requests of the default behaviour (log-normal, p50 40 ms, p99 120 ms): the CDF is
  // 0.07 at 20 ms, 0.27 at 30, 0.5 at 40, 0.68 at 50 and 0.974 at 100, so 6 × CDF
  // rounds to 0, 2, 3, 4, 6; the mean is 40·e^(σ²/2) = 44.72 ms with σ = ln 3 / 2.326.
  const L = 'namespace="apps",deployment="bot-primary",direction="inbound",tls="true"';
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
  expect(renderExposition(model, model.now())).toBe(
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
      `response_latency_ms_sum{${S}} 268.31129075924787`,
      `response_latency_ms_count{${S}} 6`,
      '',
    ].join('\n'),
  );
});

test('writes nothing before any traffic', () => {
  const model = new TrafficModel({ now: () => START });
  model.setWeights('apps', 'bot', { blue: 1, green: 1 });
  expect(renderExposition(model, model.now())).toBe('');
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

test('writes valid text format with cumulative histograms whose +Inf bucket is the count', () => {
  let now = START;
  const model = new TrafficModel({ now: () => now, seed: 5 });
  model.setWeights('apps', 'bot', { blue: 60, green: 40 });
  model.setWeights('team-b', 'faq', { blue: 100, green: 0 });
  model.setBehaviour('apps', 'bot', parseBehaviour('success-rate=82,p99=900'));
  now += 90_000;

  const { types, samples } = parseExposition(renderExposition(model, model.now()));
  expect(Object.fromEntries(types)).toEqual({
    request_total: 'counter',
    response_total: 'counter',
    response_latency_ms: 'histogram',
  });
  const responses = samples.filter((s) => s.name === 'response_total');
  expect(
    responses.map((s) => `${s.labels.namespace}/${s.labels.deployment} ${s.labels.classification}`),
  ).toEqual([
    'apps/bot success',
    'apps/bot failure',
    'apps/bot-primary success',
    'apps/bot-primary failure',
    'team-b/faq-primary success',
    'team-b/faq-primary failure',
  ]);
  for (const response of responses) {
    const { classification, ...labels } = response.labels;
    expect(labels.direction).toBe('inbound');
    expect(labels.tls).toBe('true');
    expect(labels.status_code).toBe(classification === 'success' ? '200' : '500');
    const same = (s: ParsedSample) =>
      JSON.stringify({ ...s.labels, le: undefined }) ===
      JSON.stringify({ ...labels, le: undefined });
    const buckets = samples.filter((s) => s.name === 'response_latency_ms_bucket' && same(s));
    expect(buckets.map((b) => b.labels.le)).toEqual([
      ...['1', '2', '3', '4', '5', '10', '20', '30', '40', '50', '100', '200', '300', '400', '500'],
      ...[
        '1000',
        '2000',
        '3000',
        '4000',
        '5000',
        '10000',
        '20000',
        '30000',
        '40000',
        '50000',
        '+Inf',
      ],
    ]);
    const values = buckets.map((b) => b.value);
    expect(values).toEqual([...values].sort((a, b) => a - b));
    const count = samples.find((s) => s.name === 'response_latency_ms_count' && same(s));
    expect(values.at(-1)).toBe(response.value);
    expect(count?.value).toBe(response.value);
    expect(
      samples.find((s) => s.name === 'response_latency_ms_sum' && same(s))?.value,
    ).toBeGreaterThan(0);
  }
});

let server: MetricsServer;
let now = START;
const served = new TrafficModel({ now: () => now });

beforeAll(async () => {
  served.setWeights('apps', 'bot', { blue: 100, green: 0 });
  now += 10_000;
  server = await startMetricsServer({ model: served, port: 0 });
});

afterAll(async () => {
  await server.close();
});

test('serves the page at /metrics with the text format content type', async () => {
  const response = await fetch(`${server.url}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe(EXPOSITION_CONTENT_TYPE);
  expect(await response.text()).toBe(renderExposition(served, served.now()));
});

test('answers 404 off its paths', async () => {
  const response = await fetch(`${server.url}/federate`);
  expect(response.status).toBe(404);
});
