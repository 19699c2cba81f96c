// The Gateway API provider (`gatewayapi:v1beta1`, Linkerd ≥ 2.14): Flagger writes an
// HTTPRoute instead of a TrafficSplit, and its builtin metrics would not query Linkerd,
// so the analysis runs on the MetricTemplates Greenlight renders with Linkerd's queries —
// here evaluated by the real Prometheus.
import type { HTTPRoute, MetricTemplate } from 'flagger-types';
import { approve, liveWeights } from '@greenlight/core';
import {
  startControlPlane,
  FUNCTIONS_NAMESPACE,
  type ControlPlane,
} from '../harness/control-plane.ts';
import { deploy, deploymentRevision } from '../harness/chatbot.ts';
import { RolloutWatch } from '../harness/rollout-watch.ts';
import { scenario as withReport } from '../harness/report.ts';

const NAME = 'webchat';
const PROVIDER = 'gatewayapi';

let plane: ControlPlane;
let rollout: RolloutWatch;

beforeAll(async () => {
  plane = await startControlPlane({ meshProvider: 'gatewayapi:v1beta1' });
  rollout = await RolloutWatch.start(plane, NAME);
  // The chatbot's users: real messages through the mesh, split by Flagger's HTTPRoute.
  plane.mesh.users.setRate(NAME, 10);
}, 180_000);

afterAll(async () => {
  rollout?.stop();
  await plane?.stop();
});

const scenario = (name: string, body: () => Promise<void>) =>
  withReport(name, () => ({ plane, rollout }), body);
const route = () =>
  plane.kube.get<HTTPRoute>({
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    namespace: FUNCTIONS_NAMESPACE,
    name: NAME,
  });

scenario('the first deploy initializes with an HTTPRoute on the apex Service', async () => {
  await deploy(plane, { name: NAME, revision: 'rev-1', provider: PROVIDER });
  await rollout.until('Initialized');

  const found = await route();
  expect(found && liveWeights(rollout.canary!, found)).toMatchObject({
    blue: 100,
    green: 0,
    source: 'route',
  });
  expect(found?.spec?.parentRefs).toEqual([
    expect.objectContaining({ name: NAME, kind: 'Service' }),
  ]);
  expect(await deploymentRevision(plane.kube, `${NAME}-primary`)).toBe('rev-1');
});

scenario(
  "a good version passes Greenlight's MetricTemplates, waits for approval and is promoted",
  async () => {
    await deploy(plane, { name: NAME, revision: 'rev-2', provider: PROVIDER });
    await rollout.until('WaitingPromotion');

    const found = await route();
    expect(found && liveWeights(rollout.canary!, found)).toMatchObject({ blue: 50, green: 50 });
    const templates = await plane.kube.list<MetricTemplate>(
      { apiVersion: 'flagger.app/v1beta1', kind: 'MetricTemplate' },
      FUNCTIONS_NAMESPACE,
    );
    expect(templates.map((t) => t.metadata?.name).sort()).toEqual([
      `${NAME}-latency`,
      `${NAME}-success-rate`,
    ]);

    await approve(plane.kube, { namespace: FUNCTIONS_NAMESPACE, name: NAME }, { note: 'e2e' });
    await rollout.until('Succeeded');
    expect(await deploymentRevision(plane.kube, `${NAME}-primary`)).toBe('rev-2');
  },
);

scenario(
  "a version failing the 30 % of messages that are questions fails Greenlight's success-rate template and is rolled back",
  async () => {
    const from = rollout.phases.length;
    await deploy(plane, {
      name: NAME,
      revision: 'rev-3',
      provider: PROVIDER,
      faults: ['fail-questions'],
    });
    await rollout.until(
      (phase) => phase === 'Failed' && rollout.since(from).includes('Progressing'),
      120_000,
    );

    expect(await deploymentRevision(plane.kube, `${NAME}-primary`)).toBe('rev-2');
    // scheduler_metrics.go, for a templateRef metric: "Halt %s.%s advancement %s %.2f < %v".
    const events = (await rollout.events()).join('\n');
    expect(events).toMatch(
      new RegExp(
        `Halt ${NAME}\\.${FUNCTIONS_NAMESPACE} advancement success-rate \\d+\\.\\d\\d < 99`,
      ),
    );
    expect(events).toMatch(/Rolling back .*failed checks threshold reached 2/);
  },
);
