import { expect, test } from '@jest/globals';
import { parseBehaviour, renderExposition, TrafficModel } from '../src/metrics/index.ts';
import type { TrafficModelOptions } from '../src/metrics/index.ts';

const START = Date.UTC(2025, 0, 1);
const NS = 'openfaas-fn';

/** A model on a hand-turned clock. */
function modelAt(options: TrafficModelOptions = {}) {
  let now = START;
  const model = new TrafficModel({ now: () => now, ...options });
  return { model, advance: (seconds: number) => (now += seconds * 1000) };
}

function responses(model: TrafficModel, deployment: string): { success: number; failure: number } {
  const snapshot = model.countersAt(NS, deployment, model.now());
  return {
    success: snapshot?.success.responses ?? 0,
    failure: snapshot?.failure.responses ?? 0,
  };
}

const total = (counts: { success: number; failure: number }) => counts.success + counts.failure;

test('counts responses as the clock advances, and none before traffic is routed', () => {
  const { model, advance } = modelAt({ rps: 10, jitter: 0 });
  advance(30);
  expect(model.countersAt(NS, 'chatbot-primary', model.now())).toBeUndefined();

  model.setWeights(NS, 'chatbot', { blue: 100, green: 0 });
  advance(5);
  expect(total(responses(model, 'chatbot-primary'))).toBe(50);
  advance(5);
  expect(total(responses(model, 'chatbot-primary'))).toBe(100);
  expect(model.countersAt(NS, 'chatbot', model.now())).toBeUndefined();
});

test('moves no counter between ticks', () => {
  const { model, advance } = modelAt({ rps: 10, jitter: 0, tickMs: 1000 });
  model.setWeights(NS, 'chatbot', { blue: 1, green: 0 });
  advance(0.999);
  expect(total(responses(model, 'chatbot-primary'))).toBe(0);
  advance(0.001);
  expect(total(responses(model, 'chatbot-primary'))).toBe(10);
});

test('splits the requests between blue and green by the live weights, jitter and all', () => {
  const { model, advance } = modelAt({ rps: 20, seed: 7 });
  model.setWeights(NS, 'chatbot', { blue: 75, green: 25 });
  advance(60);
  const blue = total(responses(model, 'chatbot-primary'));
  const green = total(responses(model, 'chatbot'));
  expect(blue + green).toBeGreaterThan(1200 * 0.9);
  expect(blue + green).toBeLessThan(1200 * 1.1);
  expect(Math.abs(blue - 3 * green)).toBeLessThanOrEqual(3);

  model.setWeights(NS, 'chatbot', { blue: 0, green: 100 });
  advance(10);
  expect(total(responses(model, 'chatbot-primary'))).toBe(blue);
  expect(total(responses(model, 'chatbot'))).toBeGreaterThan(green + 150);
});

test('a bad version answers with its success rate, within one request of rounding', () => {
  const { model, advance } = modelAt({ rps: 10, seed: 3 });
  model.setWeights(NS, 'chatbot', { blue: 50, green: 50 });
  model.setBehaviour(NS, 'chatbot', parseBehaviour('success-rate=82,p99=900'));
  advance(120);
  const green = responses(model, 'chatbot');
  const rate = (100 * green.success) / total(green);
  expect(Math.abs(rate - 82)).toBeLessThanOrEqual(100 / total(green));

  const check = model.check(NS, 'chatbot', '1m');
  expect(check.successRate).not.toBeNull();
  expect(Math.abs((check.successRate ?? 0) - 82)).toBeLessThanOrEqual(100 / 250);
  // Prometheus interpolates p99 inside Linkerd's 500–1000 ms bucket.
  expect(check.p99Ms).toBeGreaterThan(500);
  expect(check.p99Ms).toBeLessThanOrEqual(1000);
});

test('a good version passes Flagger-default thresholds (success ≥ 99 %, p99 ≤ 500 ms) at a 5 % step', () => {
  const { model, advance } = modelAt({ seed: 11 });
  model.setWeights(NS, 'chatbot', { blue: 95, green: 5 });
  for (let second = 0; second < 20 * 60; second += 10) {
    advance(10);
    const check = model.check(NS, 'chatbot', '1m');
    expect(check.successRate).toBeGreaterThanOrEqual(99);
    expect(check.p99Ms).toBeLessThanOrEqual(500);
  }
});

test('reports no values for a canary without traffic, as Flagger would find none', () => {
  const { model, advance } = modelAt();
  model.setWeights(NS, 'chatbot', { blue: 100, green: 0 });
  advance(60);
  expect(model.check(NS, 'chatbot', '1m')).toEqual({ successRate: null, p99Ms: null });
  expect(model.check(NS, 'chatbot-primary', '1m').successRate).toBeGreaterThan(99);
});

test('checks only the window: a fixed revision recovers once its traffic fills it', () => {
  const { model, advance } = modelAt({ rps: 20, jitter: 0 });
  model.setWeights(NS, 'chatbot', { blue: 50, green: 50 });
  model.setBehaviour(NS, 'chatbot', parseBehaviour('success-rate=60'));
  advance(60);
  expect(model.check(NS, 'chatbot', '1m').successRate).toBeCloseTo(60, 0);

  model.setBehaviour(NS, 'chatbot', parseBehaviour('success-rate=100'));
  advance(30);
  expect(model.check(NS, 'chatbot', '1m').successRate).toBeCloseTo(80, 0);
  advance(30);
  expect(model.check(NS, 'chatbot', '1m').successRate).toBe(100);
});

test('sends load-test traffic to green while blue keeps all routed traffic (blue/green)', () => {
  const { model, advance } = modelAt({ rps: 10, jitter: 0 });
  model.setWeights(NS, 'chatbot', { blue: 100, green: 0 });
  model.setCanaryLoad(NS, 'chatbot', 5);
  advance(60);
  expect(total(responses(model, 'chatbot-primary'))).toBe(600);
  expect(total(responses(model, 'chatbot'))).toBe(300);
  expect(model.check(NS, 'chatbot', '1m').successRate).toBeGreaterThan(99);

  model.setCanaryLoad(NS, 'chatbot', 0);
  advance(60);
  expect(total(responses(model, 'chatbot'))).toBe(300);
});

test('gives the same counters for the same seed and clock, and others for another seed', () => {
  const run = (seed: number) => {
    const { model, advance } = modelAt({ seed });
    model.setWeights(NS, 'chatbot', { blue: 80, green: 20 });
    model.setBehaviour(NS, 'chatbot', parseBehaviour('success-rate=90,p99=300'));
    advance(90);
    return renderExposition(model, model.now());
  };
  expect(run(42)).toBe(run(42));
  expect(run(42)).not.toBe(run(43));
});

test('refuses weights, rates and behaviours that are not numbers in range', () => {
  const { model } = modelAt();
  expect(() => model.setWeights(NS, 'chatbot', { blue: -1, green: 1 })).toThrow(
    'are not non-negative numbers',
  );
  expect(() => model.setRps(NS, 'chatbot', Number.NaN)).toThrow(
    'rps NaN is not a non-negative number',
  );
  expect(() =>
    model.setBehaviour(NS, 'chatbot', { successPercent: 0.99, p50Ms: 50, p99Ms: 10 }),
  ).toThrow(
    `Deployment ${NS}/chatbot: {"successPercent":0.99,"p50Ms":50,"p99Ms":10} is not a behaviour`,
  );
  expect(() => model.check(NS, 'chatbot', 'a minute')).toThrow(
    '"a minute" is not a Prometheus duration',
  );
});
