import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import {
  goldenQueries,
  LINKERD_LATENCY_P99_QUERY,
  LINKERD_SUCCESS_RATE_QUERY,
  PrometheusMetrics,
} from '@greenlight/core';
import { ProxyMetrics } from '../src/mesh/index.ts';
import { parseQuery, Scrapes, startMetricsServer } from '../src/metrics/index.ts';
import type { MetricsServer } from '../src/metrics/index.ts';

const START = Date.UTC(2025, 0, 1);
const NS = 'openfaas-fn';

// Flagger v1.44's builtin Linkerd queries exactly as pkg/metrics/observers/linkerd.go
// lays them out (tabs, trailing spaces), rendered for chatbot in openfaas-fn.
const FLAGGER_SUCCESS_RATE = `
\tsum(
\t\trate(
\t\t\tresponse_total{
\t\t\t\tnamespace="${NS}",
\t\t\t\tdeployment=~"chatbot",
\t\t\t\tclassification!="failure",
\t\t\t\tdirection="inbound"
\t\t\t}[1m]
\t\t)
\t) 
\t/ 
\tsum(
\t\trate(
\t\t\tresponse_total{
\t\t\t\tnamespace="${NS}",
\t\t\t\tdeployment=~"chatbot",
\t\t\t\tdirection="inbound"
\t\t\t}[1m]
\t\t)
\t) 
\t* 100`;
const FLAGGER_DURATION = `
\thistogram_quantile(
\t\t0.99,
\t\tsum(
\t\t\trate(
\t\t\t\tresponse_latency_ms_bucket{
\t\t\t\t\tnamespace="${NS}",
\t\t\t\t\tdeployment=~"chatbot",
\t\t\t\t\tdirection="inbound"
\t\t\t\t}[1m]
\t\t\t)
\t\t) by (le)
\t)`;

const rendered = (template: string) =>
  template
    .replaceAll('{{ namespace }}', NS)
    .replaceAll('{{ target }}', 'chatbot')
    .replaceAll('{{ interval }}', '1m');

describe('recognises the queries Greenlight and Flagger send', () => {
  const refs = (n: number) =>
    Array.from({ length: n }, (_, i) => ({ namespace: NS, name: `bot-${i}` }));

  test.each([
    ['one chatbot', refs(1)],
    ['a fleet', refs(3)],
    ['a fleet too large for a deployment regex', refs(101)],
  ])("core's golden queries for %s", (_, list) => {
    for (const query of Object.values(goldenQueries(list, '5m'))) {
      expect(() => parseQuery(query)).not.toThrow();
    }
  });

  test("Flagger's builtin linkerd request-success-rate and request-duration, in Flagger's layout", () => {
    expect(parseQuery(FLAGGER_SUCCESS_RATE)).toMatchObject({ kind: 'ratio', factor: 100 });
    expect(parseQuery(FLAGGER_DURATION)).toMatchObject({ kind: 'quantile', quantile: 0.99 });
  });

  test("Greenlight's Linkerd MetricTemplates for the Gateway API provider", () => {
    expect(parseQuery(rendered(LINKERD_SUCCESS_RATE_QUERY))).toEqual(
      parseQuery(FLAGGER_SUCCESS_RATE),
    );
    expect(parseQuery(rendered(LINKERD_LATENCY_P99_QUERY))).toEqual(parseQuery(FLAGGER_DURATION));
  });

  test("Flagger's is-Prometheus-online probe", () => {
    expect(parseQuery('vector(1)')).toEqual({ kind: 'vector', value: 1 });
  });

  test.each([
    'up',
    'sum(rate(response_total[1m]))',
    'histogram_quantile(0.99, sum(rate(response_total{direction="inbound"}[1m])) by (le))',
    'sum by (deployment) (rate(response_total{direction="inbound"}[{{ interval }}]))',
  ])('nothing else: %s', (query) => {
    expect(() => parseQuery(query)).toThrow(`(it is not a PromQL engine)`);
  });
});

describe('answers over HTTP like Prometheus, from the counts it scraped', () => {
  let now = START;
  const metrics = new ProxyMetrics();
  const scrapes = new Scrapes(metrics, {
    intervalMs: 3_600_000,
    retentionMs: 3_600_000,
    now: () => now,
  });
  let server: MetricsServer;
  let prometheus: PrometheusMetrics;

  beforeAll(async () => {
    // Ten minutes of responses, scraped every 10 s: each step, chatbot's blue answers 80
    // (40 ms), its green 20, of which 4 fail (300 ms), and faq's blue 100.
    for (let step = 0; step < 60; step++) {
      now += 10_000;
      for (let i = 0; i < 80; i++) metrics.record(NS, 'chatbot-primary', 200, 35);
      for (let i = 0; i < 20; i++) metrics.record(NS, 'chatbot', i < 4 ? 500 : 200, 250);
      for (let i = 0; i < 100; i++) metrics.record('team-b', 'faq-primary', 200, 8);
      scrapes.samplesAt(now);
    }
    server = await startMetricsServer({ source: scrapes, port: 0 });
    prometheus = new PrometheusMetrics({ url: server.url, now: () => new Date(now) });
  });

  afterAll(async () => {
    scrapes.stop();
    await server.close();
  });

  test("gives core's PrometheusMetrics blue's and green's golden signals", async () => {
    const golden = await prometheus.golden({ namespace: NS, name: 'chatbot' }, '5m');
    expect(golden.window).toBe('5m');
    expect(golden.at).toBe(new Date(now).toISOString());
    expect(golden.blue.rps).toBe(8);
    expect(golden.green.rps).toBe(2);
    expect(golden.blue.successRate).toBe(100);
    expect(golden.green.successRate).toBe(80);
    // Quantiles interpolated in Linkerd's buckets, as Prometheus does.
    expect(golden.blue.p50Ms).toBe(35);
    expect(golden.blue.p99Ms).toBeCloseTo(39.9);
    expect(golden.green.p50Ms).toBe(250);
    expect(golden.green.p99Ms).toBeCloseTo(299);
  });

  test('gives a fleet in one set of queries, with no signals for a canary without traffic', async () => {
    const fleet = await prometheus.fleet(
      [
        { namespace: NS, name: 'chatbot' },
        { namespace: 'team-b', name: 'faq' },
      ],
      '5m',
    );
    expect(fleet.get(`${NS}/chatbot`)?.green.rps).toBe(2);
    expect(fleet.get('team-b/faq')?.blue.rps).toBe(10);
    expect(fleet.get('team-b/faq')?.green).toEqual({
      successRate: null,
      rps: null,
      p50Ms: null,
      p95Ms: null,
      p99Ms: null,
    });
  });

  test('gives series over query_range, one point per step', async () => {
    const series = await prometheus.series({ namespace: NS, name: 'chatbot' }, '5m', 60);
    expect(series.green.rps.map((p) => p.t)).toEqual(
      [5, 4, 3, 2, 1, 0].map((minutes) => (now - minutes * 60_000) / 1000),
    );
    expect(series.green.rps.every((p) => p.v === 2)).toBe(true);
    expect(series.blue.successRate.every((p) => p.v === 100)).toBe(true);
  });

  test("answers Flagger's GET with one value: its success rate and p99 over the window", async () => {
    const value = async (query: string) => {
      const response = await fetch(
        `${server.url}/api/v1/query?query=${encodeURIComponent(query.replace(/\s+/g, ' '))}`,
      );
      const body = (await response.json()) as {
        data: { result: { metric: object; value: [number, string] }[] };
      };
      expect(body.data.result).toHaveLength(1);
      expect(body.data.result[0]?.metric).toEqual({});
      return Number(body.data.result[0]?.value[1]);
    };
    expect(await value(FLAGGER_SUCCESS_RATE)).toBe(80);
    expect(await value(FLAGGER_DURATION)).toBeCloseTo(299);
    expect(await value('vector(1)')).toBe(1);
  });

  test('refuses an unrecognised query with a Prometheus-style 400 that names it', async () => {
    const response = await fetch(
      `${server.url}/api/v1/query?query=${encodeURIComponent('rate(up[5m])')}`,
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      status: 'error',
      errorType: 'bad_data',
      error:
        'the Greenlight sandbox answers only the PromQL that Greenlight and Flagger send over Linkerd metrics (it is not a PromQL engine); unrecognised query: rate(up[5m])',
    });
  });

  test('refuses a missing query and a bad step as Prometheus does', async () => {
    const missing = await fetch(`${server.url}/api/v1/query`);
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ error: 'missing parameter "query"' });
    const params = new URLSearchParams({ query: 'vector(1)', start: '0', end: '10', step: '0' });
    const badStep = await fetch(`${server.url}/api/v1/query_range?${params}`);
    expect(badStep.status).toBe(400);
  });
});
