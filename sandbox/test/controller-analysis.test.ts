import { describe, expect, test } from '@jest/globals';
import type { V1Deployment } from '@kubernetes/client-node';
import type { Canary } from 'flagger-types';
import { analysisIntervalMs, maxWeight, nextStepWeight } from 'flagger-types';
import { isDeploymentReady } from '../src/controller/deployment-controller.ts';
import { formatGoDuration, scaledWindow } from '../src/controller/durations.ts';
import { mergeDiff } from '../src/controller/merge-diff.ts';
import { metricModel, renderQuery } from '../src/controller/render-query.ts';
import { computeHash, hasSpecChanged } from '../src/controller/spec-hash.ts';
import { promotedCondition, setPhase, syncStatus } from '../src/controller/status-patches.ts';

const NOW = new Date('2025-01-02T03:04:05.678Z');

function canary(
  analysis: Partial<Canary['spec']['analysis']>,
  status: Canary['status'] = {},
): Canary {
  return {
    apiVersion: 'flagger.app/v1beta1',
    kind: 'Canary',
    metadata: { name: 'chatbot', namespace: 'openfaas-fn' },
    spec: {
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'chatbot' },
      service: { port: 8080 },
      analysis: { interval: '30s', threshold: 5, ...analysis },
    },
    status,
  };
}

describe('the steps of an analysis', () => {
  test('moves by stepWeight up to maxWeight, which defaults to 100', () => {
    expect(maxWeight(canary({ stepWeight: 10, maxWeight: 50 }))).toBe(50);
    expect(maxWeight(canary({ stepWeight: 10 }))).toBe(100);
    expect(nextStepWeight(canary({ stepWeight: 10, maxWeight: 50 }), 40)).toBe(10);
  });

  test('walks stepWeights in order, the last one being the maximum', () => {
    const listed = canary({ stepWeights: [5, 25, 60] });
    expect(maxWeight(listed)).toBe(60);
    expect(nextStepWeight(listed, 0)).toBe(5);
    expect(nextStepWeight(listed, 5)).toBe(20);
    expect(nextStepWeight(listed, 25)).toBe(35);
    // A weight off the list (e.g. set by hand) jumps to 100, as Flagger's does.
    expect(nextStepWeight(listed, 30)).toBe(70);
  });

  test('never runs an analysis more often than every 10 s, and defaults to 60 s', () => {
    expect(analysisIntervalMs(canary({ interval: '5s' }))).toBe(10_000);
    expect(analysisIntervalMs(canary({ interval: '1m30s' }))).toBe(90_000);
    expect(analysisIntervalMs(canary({ interval: '30sec' }))).toBe(60_000);
  });
});

describe('status writes', () => {
  test('reads canaryWeight 0 in WaitingPromotion, with iterations at analysis.iterations - 1', () => {
    const stepped = setPhase(
      canary({ stepWeight: 10 }, { canaryWeight: 50, iterations: 0 }),
      'WaitingPromotion',
      NOW,
    );
    expect(stepped).toMatchObject({ phase: 'WaitingPromotion', canaryWeight: 0, iterations: -1 });
    const blueGreen = setPhase(
      canary({ iterations: 3 }, { iterations: 3 }),
      'WaitingPromotion',
      NOW,
    );
    expect(blueGreen.iterations).toBe(2);
    expect(stepped.lastTransitionTime).toBe('2025-01-02T03:04:05Z');
  });

  test('keeps the weight while Promoting and records the promoted spec on Succeeded', () => {
    const promoting = setPhase(canary({ stepWeight: 10 }, { canaryWeight: 50 }), 'Promoting', NOW);
    expect(promoting.canaryWeight).toBeUndefined();
    const succeeded = setPhase(
      canary({ stepWeight: 10 }, { lastAppliedSpec: 'abc' }),
      'Succeeded',
      NOW,
    );
    expect(succeeded).toMatchObject({ lastPromotedSpec: 'abc', canaryWeight: 0 });
  });

  test('writes the Promoted condition as Flagger words it, and leaves an unchanged one alone', () => {
    const [condition] = promotedCondition(canary({}), 'Initialized', NOW) ?? [];
    expect(condition).toMatchObject({
      type: 'Promoted',
      status: 'True',
      reason: 'Initialized',
      message: 'Deployment initialization completed.',
    });
    const failed = promotedCondition(canary({}), 'Failed', NOW)?.[0];
    expect(failed).toMatchObject({
      status: 'False',
      message: 'Canary analysis failed, Deployment scaled to zero.',
    });
    const same = canary(
      {},
      {
        conditions: [
          { ...(condition as object), type: 'Promoted', status: 'True', reason: 'Initialized' },
        ],
      },
    );
    expect(promotedCondition(same, 'Initialized', NOW)).toBeUndefined();
  });

  test('syncs lastAppliedSpec, and lastPromotedSpec only when initialized', () => {
    expect(syncStatus(canary({}), { phase: 'Initialized' }, 'h1', NOW)).toMatchObject({
      phase: 'Initialized',
      lastAppliedSpec: 'h1',
      lastPromotedSpec: 'h1',
      failedChecks: 0,
    });
    expect(
      syncStatus(canary({}), { phase: 'Progressing' }, 'h2', NOW).lastPromotedSpec,
    ).toBeUndefined();
  });
});

describe('revisions', () => {
  test('spots a new pod template but not a manual rollback to the promoted one', () => {
    const v1 = computeHash({ metadata: { annotations: { rev: 'v1' } } });
    const v2 = computeHash({ metadata: { annotations: { rev: 'v2' } } });
    expect(v1).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{10}$/);
    expect(computeHash({ b: 1, a: 2 })).toBe(computeHash({ a: 2, b: 1 }));
    expect(hasSpecChanged({ lastAppliedSpec: v1, lastPromotedSpec: v1 }, v2)).toBe(true);
    expect(hasSpecChanged({ lastAppliedSpec: v2, lastPromotedSpec: v1 }, v1)).toBe(false);
    expect(hasSpecChanged({}, v1)).toBe(true);
  });

  test('replaces an object through a merge patch, nulling what is gone', () => {
    expect(mergeDiff({ a: 1, b: { c: 2, d: 3 } }, { b: { c: 4 } })).toEqual({
      a: null,
      b: { c: 4, d: null },
    });
  });
});

describe('messages', () => {
  test('prints durations as Go does', () => {
    expect(formatGoDuration(870)).toBe('870ms');
    expect(formatGoDuration(1500)).toBe('1.5s');
    expect(formatGoDuration(120_000)).toBe('2m0s');
    expect(formatGoDuration(3_600_000)).toBe('1h0m0s');
    expect(formatGoDuration(0)).toBe('0s');
  });

  test('shrinks metric windows with the sandbox speed', () => {
    expect(scaledWindow('1m', 40)).toBe('1500ms');
  });

  test('renders query templates with Flagger variables and refuses unknown ones', () => {
    const model = metricModel(canary({}), '1m', { env: 'prod' });
    expect(
      renderQuery(
        'x{ns="{{ namespace }}",d=~"{{ target }}",e="{{ variables.env }}"}[{{ interval }}]',
        model,
      ),
    ).toBe('x{ns="openfaas-fn",d=~"chatbot",e="prod"}[1m]');
    expect(() => renderQuery('{{ cluster }}', model)).toThrow('function "cluster" not defined');
  });

  test("reports a Deployment's readiness as Flagger's checks do", () => {
    const deployment = (status: V1Deployment['status'], generation = 2): V1Deployment => ({
      metadata: { name: 'chatbot', generation },
      spec: { replicas: 2, selector: {}, template: {} },
      status,
    });
    expect(isDeploymentReady(deployment({ observedGeneration: 1 }), 600, 100)).toMatchObject({
      ready: false,
      retriable: true,
      error:
        'waiting for rollout to finish: observed deployment generation less than desired generation',
    });
    expect(
      isDeploymentReady(deployment({ observedGeneration: 2, updatedReplicas: 1 }), 600, 100).error,
    ).toBe('waiting for rollout to finish: 1 out of 2 new replicas have been updated');
    expect(
      isDeploymentReady(
        deployment({
          observedGeneration: 2,
          replicas: 2,
          updatedReplicas: 2,
          availableReplicas: 2,
        }),
        600,
        100,
      ),
    ).toEqual({ ready: true, retriable: true });
    const stuck = deployment({
      observedGeneration: 2,
      conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }],
    });
    expect(isDeploymentReady(stuck, 600, 100)).toMatchObject({ ready: false, retriable: false });
  });
});
