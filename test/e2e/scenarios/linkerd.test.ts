// One chatbot's life under the real Flagger (linkerd provider, SMI TrafficSplit): first
// deploy, an approved promotion across a gate restart, a stale approval that must not
// promote the next revision, an abort through the rollback webhook, and a bad version
// that Flagger's own success-rate check rolls back.
import type { V1Deployment, V1Service } from '@kubernetes/client-node';
import type { TrafficSplit } from 'flagger-types';
import { abort, approve, liveWeights } from '@greenlight/core';
import {
  startControlPlane,
  FUNCTIONS_NAMESPACE,
  type ControlPlane,
} from '../harness/control-plane.ts';
import { deploy, deploymentRevision } from '../harness/chatbot.ts';
import { RolloutWatch } from '../harness/rollout-watch.ts';
import { scenario as withReport } from '../harness/report.ts';

const NAME = 'chatbot';
const REF = { namespace: FUNCTIONS_NAMESPACE, name: NAME };
/** Flagger's analysis interval in these Canaries. */
const INTERVAL_MS = 10_000;
/** Simulated users' messages per second to the apex Service. */
const USERS_PER_SECOND = 10;

let plane: ControlPlane;
let rollout: RolloutWatch;

beforeAll(async () => {
  plane = await startControlPlane({ meshProvider: 'linkerd' });
  rollout = await RolloutWatch.start(plane, NAME);
  // The chatbot's users: real messages through the mesh, split by Flagger's TrafficSplit.
  plane.mesh.users.setRate(NAME, USERS_PER_SECOND);
}, 180_000);

afterAll(async () => {
  rollout?.stop();
  await plane?.stop();
});

const scenario = (name: string, body: () => Promise<void>) =>
  withReport(name, () => ({ plane, rollout }), body);

const get = <T>(apiVersion: string, kind: string, name: string) =>
  plane.kube.get<T & { kind: string }>({ apiVersion, kind, namespace: FUNCTIONS_NAMESPACE, name });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

scenario(
  'the first deploy initializes: Flagger creates the primary, its Services and the TrafficSplit',
  async () => {
    await deploy(plane, { name: NAME, revision: 'rev-1' });
    await rollout.until('Initialized');

    expect(await deploymentRevision(plane.kube, `${NAME}-primary`)).toBe('rev-1');
    for (const service of [NAME, `${NAME}-primary`, `${NAME}-canary`]) {
      const found = await get<V1Service>('v1', 'Service', service);
      expect(found?.spec?.clusterIP).toMatch(/^10\.96\.0\.\d+$/);
    }
    const split = await get<TrafficSplit>('split.smi-spec.io/v1alpha1', 'TrafficSplit', NAME);
    expect(split && liveWeights(rollout.canary!, split)).toMatchObject({
      blue: 100,
      green: 0,
      source: 'route',
    });
    // Flagger scales the target to zero once the primary serves.
    expect((await get<V1Deployment>('apps/v1', 'Deployment', NAME))?.spec?.replicas).toBe(0);
  },
);

scenario(
  'a good version waits for approval, survives a gate restart, and Flagger promotes it once approved',
  async () => {
    const from = rollout.phases.length;
    await deploy(plane, { name: NAME, revision: 'rev-2' });
    await rollout.until('WaitingPromotion');

    // Held at max weight: the route, not status.canaryWeight, says 50 % (docs/design.md, "Flagger facts").
    const split = await get<TrafficSplit>('split.smi-spec.io/v1alpha1', 'TrafficSplit', NAME);
    expect(split && liveWeights(rollout.canary!, split)).toMatchObject({ blue: 50, green: 50 });
    await sleep(2 * INTERVAL_MS);
    expect(rollout.phase).toBe('WaitingPromotion');
    expect(await rollout.events()).toEqual(
      expect.arrayContaining([expect.stringMatching(/^GatePromotionRefused/)]),
    );

    // The gate keeps no state: a new process reads the approval from the Canary.
    await plane.restartGate();
    await approve(plane.kube, REF, { note: 'e2e' });
    await rollout.until('Succeeded');

    expect(rollout.since(from)).toEqual(
      expect.arrayContaining([
        'Progressing',
        'WaitingPromotion',
        'Promoting',
        'Finalising',
        'Succeeded',
      ]),
    );
    expect(await deploymentRevision(plane.kube, `${NAME}-primary`)).toBe('rev-2');
    expect(await rollout.events()).toEqual(
      expect.arrayContaining([expect.stringMatching(/^GatePromotionAllowed/)]),
    );
  },
);

scenario(
  'the approval of rev-2 never promotes rev-3, and an abort rolls rev-3 back through the rollback webhook',
  async () => {
    const from = rollout.phases.length;
    await deploy(plane, { name: NAME, revision: 'rev-3' });
    await rollout.until('WaitingPromotion');
    await sleep(2 * INTERVAL_MS);
    expect(rollout.phase).toBe('WaitingPromotion');
    expect(rollout.since(from)).not.toContain('Promoting');

    await abort(plane.kube, REF, { note: 'e2e' });
    await rollout.until('Failed', 60_000);

    expect(rollout.since(from)).not.toContain('Promoting');
    expect(await deploymentRevision(plane.kube, `${NAME}-primary`)).toBe('rev-2');
    const events = await rollout.events();
    expect(events).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^GateRollbackAllowed/),
        expect.stringMatching(/Rolling back/),
      ]),
    );
  },
);

scenario(
  'a version failing the 30 % of messages that are questions is rolled back by Flagger on its success-rate check',
  async () => {
    const from = rollout.phases.length;
    await deploy(plane, { name: NAME, revision: 'rev-4', faults: ['fail-questions'] });
    await rollout.until(
      (phase) => phase === 'Failed' && rollout.since(from).includes('Progressing'),
      120_000,
    );

    expect(rollout.since(from)).not.toContain('WaitingPromotion');
    expect(await deploymentRevision(plane.kube, `${NAME}-primary`)).toBe('rev-2');
    const events = await rollout.events();
    // scheduler_metrics.go: "Halt %s.%s advancement success rate %.2f%% < %v%%". The rate is
    // over Flagger's 1m window on `deployment="chatbot"`, which still holds part of rev-3's
    // healthy traffic, so it reads between 70 and 99, not 70.
    const rates = [
      ...events.join('\n').matchAll(/advancement success rate (\d+\.\d\d)% < 99%/g),
    ].map((m) => Number(m[1]));
    expect(rates.length).toBeGreaterThanOrEqual(2);
    for (const rate of rates) expect(rate).toBeGreaterThanOrEqual(69);
    expect(rates.at(-1)).toBeLessThan(rates[0]!);
    expect(events.join('\n')).toMatch(/Rolling back .*failed checks threshold reached 2/);
  },
);
