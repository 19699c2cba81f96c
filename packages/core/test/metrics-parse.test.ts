import { readFileSync } from 'node:fs';
import {
  goldenMetrics,
  matrixSeries,
  prometheusResponseSchema,
  sampleValue,
  seriesOf,
  vectorValues,
} from '../src/metrics/index.ts';
import type {
  GoldenResults,
  GoldenSeriesResults,
  LabelledSeries,
  LabelledValue,
} from '../src/metrics/index.ts';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`./fixtures/metrics/${name}.json`, import.meta.url), 'utf8'));

function vector(name: string): LabelledValue[] {
  const body = prometheusResponseSchema.parse(fixture(name));
  if (body.status !== 'success' || body.data.resultType !== 'vector')
    throw new Error(`${name} is not a vector`);
  return vectorValues(body.data);
}
function matrix(name: string): LabelledSeries[] {
  const body = prometheusResponseSchema.parse(fixture(name));
  if (body.status !== 'success' || body.data.resultType !== 'matrix')
    throw new Error(`${name} is not a matrix`);
  return matrixSeries(body.data);
}

const results: GoldenResults = {
  responses: vector('responses'),
  p50Ms: vector('p50'),
  p95Ms: vector('p95'),
  p99Ms: vector('p99'),
};
const at = '2026-11-25T10:00:00.000Z';

test('sample values that are not finite numbers become null', () => {
  expect(sampleValue('12.5')).toBe(12.5);
  expect(sampleValue('0')).toBe(0);
  expect(sampleValue('NaN')).toBeNull();
  expect(sampleValue('+Inf')).toBeNull();
  expect(sampleValue('-Inf')).toBeNull();
  expect(sampleValue('')).toBeNull();
});

test('splits one grouped answer into blue and green golden signals', () => {
  expect(goldenMetrics({ namespace: 'openfaas-fn', name: 'chatbot' }, results, '5m', at)).toEqual({
    blue: { successRate: 99, rps: 20, p50Ms: 12.5, p95Ms: 48.75, p99Ms: 97.5 },
    green: { successRate: 90, rps: 5, p50Ms: 14, p95Ms: 95, p99Ms: 480 },
    window: '5m',
    at,
  });
});

test('reports a 0% success rate, not "no data", for a Deployment that only fails', () => {
  const faq = goldenMetrics({ namespace: 'openfaas-fn', name: 'faq-bot' }, results, '5m', at);
  expect(faq.green).toEqual({ successRate: 0, rps: 0.25, p50Ms: null, p95Ms: null, p99Ms: null });
});

test('turns NaN and infinite latencies into null', () => {
  const faq = goldenMetrics({ namespace: 'openfaas-fn', name: 'faq-bot' }, results, '5m', at);
  expect(faq.blue).toEqual({ successRate: 100, rps: 3, p50Ms: null, p95Ms: null, p99Ms: null });
});

test('gives all-null signals for a chatbot with no data, and never mixes namespaces', () => {
  const empty = { responses: vector('empty'), p50Ms: [], p95Ms: [], p99Ms: [] };
  const none = { successRate: null, rps: null, p50Ms: null, p95Ms: null, p99Ms: null };
  expect(
    goldenMetrics({ namespace: 'openfaas-fn', name: 'chatbot' }, empty, '5m', at).green,
  ).toEqual(none);
  expect(goldenMetrics({ namespace: 'team-b', name: 'chatbot' }, results, '5m', at).blue).toEqual(
    none,
  );
});

test('aligns success and failure series per step for range queries', () => {
  const seriesResults: GoldenSeriesResults = {
    responses: matrix('range-responses'),
    p50Ms: [],
    p95Ms: [],
    p99Ms: matrix('range-p99'),
  };
  const { blue, green } = seriesOf({ namespace: 'openfaas-fn', name: 'chatbot' }, seriesResults);
  const t = 1795600800;
  expect(green.successRate).toEqual([
    { t: t - 120, v: 80 },
    { t: t - 60, v: 90 },
    { t, v: null },
  ]);
  expect(green.rps).toEqual([
    { t: t - 120, v: 5 },
    { t: t - 60, v: 5 },
    { t, v: 0 },
  ]);
  expect(green.p99Ms).toEqual([
    { t: t - 120, v: 300 },
    { t: t - 60, v: null },
    { t, v: 480 },
  ]);
  expect(blue.successRate.map(({ v }) => v)).toEqual([100, 100, 100]);
  expect(blue.p50Ms).toEqual([]);
});

test('rejects a body that is not the Prometheus HTTP API', () => {
  expect(
    prometheusResponseSchema.safeParse({ status: 'success', data: { result: [] } }).success,
  ).toBe(false);
  expect(
    prometheusResponseSchema.safeParse({
      status: 'success',
      data: { resultType: 'vector', result: [{ value: 1 }] },
    }).success,
  ).toBe(false);
  expect(prometheusResponseSchema.safeParse(fixture('error')).success).toBe(true);
});
