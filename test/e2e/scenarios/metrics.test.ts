// Greenlight's golden-metrics PromQL (core's PrometheusMetrics) against the real
// Prometheus, scraping the mesh stand-in's Linkerd-format counts of real replies every
// second: simulated users chat with a chatbot whose primary (blue) is healthy and whose
// candidate (green) fails the 30 % of messages that are questions, slowly, held by
// Flagger at 50/50 in WaitingPromotion — read by core directly, through the Backstage
// backend's metrics and fleet routes, and counted per fleet page.
import type { KubernetesObject } from '@kubernetes/client-node';
import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import type {
  FleetResponse,
  MetricsResponse,
} from '@greenlight/backstage-plugin-greenlight-common';
import {
  PrometheusMetrics,
  renderCanary,
  resolveCanaryOptions,
  type GoldenMetrics,
  type Point,
} from '@greenlight/core';
import { entity, startBackend } from '@greenlight/test-kit/backstage/backend';
import type { DemoFault } from '@greenlight/example-chatbot';
import { chatbotDeployment } from '../harness/chatbot.ts';
import {
  startControlPlane,
  FUNCTIONS_NAMESPACE,
  type ControlPlane,
} from '../harness/control-plane.ts';
import { startPrometheusCounter, type PrometheusCounter } from '../harness/prometheus-counter.ts';
import { scenario as withReport } from '../harness/report.ts';
import { RolloutWatch } from '../harness/rollout-watch.ts';

const NAME = 'chatbot';
const REF = { namespace: FUNCTIONS_NAMESPACE, name: NAME };
const WINDOW = '1m';
// Green (rev-2) ships the chatbot's demo faults: a question (3 of the users' 10 messages,
// sandbox/src/mesh/users.ts) fails at once, every other answer waits 150 ms, one to a message
// over 20 characters (1 in 10) 700 ms. Blue (rev-1) is the chatbot as it is: fast.
const GREEN_FAULTS: DemoFault[] = ['fail-questions', 'slow-replies'];
const USERS_PER_SECOND = 10;

let plane: ControlPlane;
let rollout: RolloutWatch;
let counter: PrometheusCounter;
let backend: Awaited<ReturnType<typeof startBackend>>;

beforeAll(async () => {
  plane = await startControlPlane({ meshProvider: 'linkerd' });
  rollout = await RolloutWatch.start(plane, NAME);
  plane.mesh.users.setRate(NAME, USERS_PER_SECOND);
  counter = await startPrometheusCounter(plane.prometheus.url);
  backend = await startBackend({
    kubeconfig: plane.apiserver.adminKubeconfig,
    prometheusUrl: counter.url,
    entities: [entity(NAME, { 'greenlight.dev/canary': `${FUNCTIONS_NAMESPACE}/${NAME}` })],
    config: { metrics: { source: 'prometheus' } },
  });
}, 180_000);

afterAll(async () => {
  await counter?.close();
  rollout?.stop();
  await plane?.stop();
});

const scenario = (name: string, body: () => Promise<void>) =>
  withReport(name, () => ({ plane, rollout }), body);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const asUser = (req: request.Test) =>
  req.set('authorization', mockCredentials.user.header('user:default/alice'));

/**
 * The users' messages go round a list of 20, each round one message later, and the 50/50
 * split alternates (sandbox/src/mesh), so green gets 3 questions in every 10 messages to
 * within one, 30 % over 40: the slack is rate()'s extrapolation at the window's edges and
 * the requests a window may cut: 2 points.
 */
const RATE_TOLERANCE = 2;

/** What the healthy blue and the 70 %-and-slow green read, wherever the numbers come from. */
function expectGolden(metrics: GoldenMetrics | null | undefined): void {
  expect(metrics).toBeDefined();
  const { blue, green } = metrics!;
  expect(blue.successRate).toBeGreaterThanOrEqual(99.9 - RATE_TOLERANCE);
  expect(blue.successRate).toBeLessThanOrEqual(100);
  expect(Math.abs(green.successRate! - 70)).toBeLessThanOrEqual(RATE_TOLERANCE);
  expect(blue.rps).toBeGreaterThan(0);
  expect(green.rps).toBeGreaterThan(0);
  for (const side of [blue, green]) {
    expect(side.p50Ms).not.toBeNull();
    expect(side.p50Ms!).toBeLessThanOrEqual(side.p95Ms!);
    expect(side.p95Ms!).toBeLessThanOrEqual(side.p99Ms!);
  }
  // histogram_quantile interpolates inside the proxy's buckets (sandbox buckets.ts), so a
  // quantile lands in the bucket that holds the code's latency: green's p50 (150 ms, 6 in
  // 10 answers) in (100, 200], its p99 (700 ms, 1 in 10) in (500, 1000]; blue answers a
  // chat message in a few milliseconds on loopback: its p99 stays below green's buckets
  // even on a loaded machine.
  expect(green.p50Ms!).toBeGreaterThan(100);
  expect(green.p50Ms!).toBeLessThanOrEqual(200);
  expect(green.p99Ms!).toBeGreaterThan(500);
  expect(green.p99Ms!).toBeLessThanOrEqual(1000);
  expect(blue.p99Ms!).toBeLessThanOrEqual(100);
}

const valued = (points: Point[]) => points.filter((point) => point.v !== null);

scenario(
  'a 70 %-and-slow green held at 50/50: core reads blue ≈ 100 %, green ≈ 70 %, RPS, ordered quantiles and a series',
  async () => {
    // Approval on, as everywhere in this tier; the thresholds are lowered so that Flagger's
    // own checks pass green and hold it in WaitingPromotion with traffic on both sides.
    const options = resolveCanaryOptions({
      namespace: FUNCTIONS_NAMESPACE,
      provider: 'linkerd',
      approval: true,
      gateUrl: plane.gate.url,
      interval: '10s',
      stepWeight: 50,
      maxWeight: 50,
      threshold: 2,
      minSuccessRate: 60,
      maxLatencyMs: 2000,
    });
    for (const object of renderCanary({ name: NAME }, options) as KubernetesObject[])
      await plane.kube.apply(object);
    await plane.kube.apply(
      chatbotDeployment({ name: NAME, revision: 'rev-1' }) as KubernetesObject,
    );
    await rollout.until('Initialized');
    await plane.kube.apply(
      chatbotDeployment({
        name: NAME,
        revision: 'rev-2',
        faults: GREEN_FAULTS,
      }) as KubernetesObject,
    );
    await rollout.until('WaitingPromotion', 120_000);
    // A few more scrapes of the 50/50 split, so the 1m window holds 15 s or more of it.
    await sleep(15_000);

    const prometheus = new PrometheusMetrics({ url: plane.prometheus.url });
    const golden = await prometheus.golden(REF, WINDOW);
    console.log(`core, ${WINDOW}: ${JSON.stringify(golden)}`);
    expectGolden(golden);
    const fleet = await prometheus.fleet(
      [REF, { namespace: FUNCTIONS_NAMESPACE, name: 'none' }],
      WINDOW,
    );
    expectGolden(fleet.get(`${FUNCTIONS_NAMESPACE}/${NAME}`));
    // A chatbot without traffic has an entry, all null.
    expect(fleet.get(`${FUNCTIONS_NAMESPACE}/none`)?.green.successRate).toBeNull();

    const series = await prometheus.series(REF, '5m', 15);
    const green = valued(series.green.successRate);
    const blue = valued(series.blue.successRate);
    // Points come only where Prometheus has data, one per step, inside the window. Blue has
    // served since rev-1 was initialized; green only since rev-2 reached 50 %, and at 70 %
    // from its first point (green never served anything else).
    const from = Date.parse(series.from) / 1000;
    const to = Date.parse(series.to) / 1000;
    for (const points of [blue, green]) {
      for (const [i, point] of points.entries()) {
        expect(point.t).toBeGreaterThanOrEqual(from);
        expect(point.t).toBeLessThanOrEqual(to);
        if (i > 0) expect(point.t - points[i - 1]!.t).toBeCloseTo(15, 3);
      }
    }
    expect(blue.length).toBeGreaterThan(green.length);
    expect(green[0]!.t).toBeGreaterThan(blue[0]!.t);
    expect(green.length).toBeGreaterThanOrEqual(2);
    for (const point of green) expect(Math.abs(point.v! - 70)).toBeLessThanOrEqual(RATE_TOLERANCE);
    for (const point of blue) expect(point.v!).toBeGreaterThanOrEqual(99.9 - RATE_TOLERANCE);
    const p99 = valued(series.green.p99Ms);
    expect(p99.at(-1)!.v!).toBeGreaterThan(500);
    expect(valued(series.green.rps).at(-1)!.v!).toBeGreaterThan(0);
    expect(rollout.phase).toBe('WaitingPromotion');
  },
);

scenario(
  'the Backstage backend serves the same numbers on its metrics and fleet routes, in at most 3 Prometheus queries per fleet page',
  async () => {
    expect(rollout.phase).toBe('WaitingPromotion');
    const before = counter.queries;
    const fleetRes = await asUser(
      request(backend).get(`/api/greenlight/rollouts?window=${WINDOW}`),
    ).expect(200);
    const fleetQueries = counter.queries - before;
    const fleet = fleetRes.body as FleetResponse;
    console.log(`fleet page: ${fleetQueries} Prometheus queries (cold cache)`);
    expect(fleet.metricsSource).toBe('prometheus');
    expect(fleet.metricsProblem).toBeUndefined();
    const item = fleet.items.find((found) => found.rollout.name === NAME);
    expect(item?.rollout.phase).toBe('WaitingPromotion');
    expectGolden(item?.metrics);
    expect(fleetQueries).toBeGreaterThan(0);
    expect(fleetQueries).toBeLessThanOrEqual(3);

    const detailRes = await asUser(
      request(backend).get(
        `/api/greenlight/rollouts/${FUNCTIONS_NAMESPACE}/${NAME}/metrics?window=5m`,
      ),
    ).expect(200);
    const detail = detailRes.body as MetricsResponse;
    expect(detail.source).toBe('prometheus');
    // The 5m window: blue's rate still ≈ 100 %, green's 70 % (it only ever ran rev-2 with traffic).
    expectGolden(detail.current);
    const green = valued(detail.series.green.successRate);
    expect(green.length).toBeGreaterThanOrEqual(2);
    for (const point of green) expect(Math.abs(point.v! - 70)).toBeLessThanOrEqual(RATE_TOLERANCE);
    expect(valued(detail.series.blue.rps).length).toBeGreaterThan(green.length);
    expect(detail.thresholds.length).toBeGreaterThan(0);
  },
);
