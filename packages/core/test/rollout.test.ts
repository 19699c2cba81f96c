import { readdirSync, readFileSync } from 'node:fs';
import type { V1Deployment } from '@kubernetes/client-node';
import { CanarySchema, HTTPRouteSchema, TrafficSplitSchema } from 'flagger-types';
import type { Canary, HTTPRoute, TrafficSplit } from 'flagger-types';
import { canaryChecksum, templateHash } from '../src/approval/index.ts';
import { interpret } from '../src/rollout/index.ts';
import type { InterpretInput } from '../src/rollout/index.ts';

// Fixtures are Canary + route + Deployments as Flagger v1.44 leaves them in each phase
// (status messages from pkg/canary/status.go MakeStatusConditions). The target carries
// revision 3f2c1e9 (green); the primary a1b2c3d before promotion, 3f2c1e9 after.

interface Bundle {
  canary: Canary;
  route?: TrafficSplit | HTTPRoute;
  target?: V1Deployment;
  primary?: V1Deployment;
}
const dir = new URL('./fixtures/rollout/', import.meta.url);
const load = (name: string): Bundle =>
  JSON.parse(readFileSync(new URL(`${name}.json`, dir), 'utf8')) as Bundle;
const view = (name: string, extra: Partial<InterpretInput> = {}) =>
  interpret({ ...load(name), ...extra });

function withAnnotations(bundle: Bundle, annotations: Record<string, string>): Bundle {
  bundle.canary.metadata.annotations = annotations;
  return bundle;
}
// The waiting-promotion fixture's analysis began at 10:00 (its Promoted condition) and
// Flagger's webhooks carry the checksum of its status: approve() binds an approval to both.
const WAITING_STARTED = '2026-11-25T10:00:00Z';
const WAITING_CHECKSUM = canaryChecksum(load('waiting-promotion').canary.status);
// ...and approve() records the hash of the target's pod template the person approved.
const WAITING_TEMPLATE = templateHash(load('waiting-promotion').target)!;
const approvedBy = (
  revision: string,
  by: string,
  bound: Record<string, string> = {
    'greenlight.dev/approved-checksum': WAITING_CHECKSUM,
    'greenlight.dev/approved-analysis': WAITING_STARTED,
    'greenlight.dev/approved-template': WAITING_TEMPLATE,
  },
) => ({
  'greenlight.dev/approved-revision': revision,
  ...bound,
  'greenlight.dev/approved-by': by,
  'greenlight.dev/approved-at': '2026-11-25T10:05:00Z',
});

test('every fixture is a valid Flagger object', () => {
  for (const file of readdirSync(dir)) {
    const bundle = load(file.replace(/\.json$/, ''));
    expect(CanarySchema.safeParse(bundle.canary).error).toBeUndefined();
    if (bundle.route?.kind === 'TrafficSplit')
      expect(TrafficSplitSchema.safeParse(bundle.route).error).toBeUndefined();
    if (bundle.route?.kind === 'HTTPRoute')
      expect(HTTPRouteSchema.safeParse(bundle.route).error).toBeUndefined();
  }
});

describe('phases', () => {
  test('Progressing: weights from the TrafficSplit, step from the green weight', () => {
    expect(view('progressing')).toEqual({
      namespace: 'openfaas-fn',
      name: 'chatbot',
      phase: 'Progressing',
      provider: 'linkerd',
      strategy: 'canary',
      revision: '3f2c1e9',
      promotedRevision: 'a1b2c3d',
      weights: { blue: 80, green: 20, source: 'route' },
      step: { current: 2, total: 5 },
      failedChecks: 1,
      threshold: 5,
      waitingForApproval: false,
      verdict: 'in-progress',
      reason:
        'Revision 3f2c1e9 of openfaas-fn/chatbot is under analysis: step 2 of 5, 20% of traffic, 1 of 5 failed checks.',
      lastTransitionTime: '2026-11-25T10:00:00Z',
    });
  });

  test('WaitingPromotion: shows the max weight the route keeps although status.canaryWeight reads 0', () => {
    const rollout = view('waiting-promotion');
    expect(load('waiting-promotion').canary.status?.canaryWeight).toBe(0);
    expect(rollout.weights).toEqual({ blue: 50, green: 50, source: 'route' });
    expect(rollout.step).toEqual({ current: 5, total: 5 });
    expect(rollout).toMatchObject({
      phase: 'WaitingPromotion',
      verdict: 'in-progress',
      waitingForApproval: true,
    });
    expect(rollout.reason).toBe(
      'Revision 3f2c1e9 of openfaas-fn/chatbot passed its analysis, holds 50% of traffic and waits for an approver to approve revision 3f2c1e9.',
    );
  });

  test('WaitingPromotion without a route falls back to status and says so', () => {
    const rollout = view('waiting-promotion', { route: undefined });
    expect(rollout.weights).toEqual({ blue: 100, green: 0, source: 'status' });
    // All steps are done in WaitingPromotion whatever the weight source says.
    expect(rollout.step).toEqual({ current: 5, total: 5 });
  });

  test('WaitingPromotion says how long it has waited when given the time', () => {
    const rollout = view('waiting-promotion', { now: new Date('2026-11-25T10:12:30Z') });
    expect(rollout.reason).toContain('holds 50% of traffic for 12 minutes and waits');
  });

  test('WaitingPromotion with the revision approved is no longer waiting for approval', () => {
    const rollout = interpret(
      withAnnotations(load('waiting-promotion'), approvedBy('3f2c1e9', 'ana')),
    );
    expect(rollout.waitingForApproval).toBe(false);
    expect(rollout.approval).toEqual({
      revision: '3f2c1e9',
      checksum: WAITING_CHECKSUM,
      analysis: WAITING_STARTED,
      template: WAITING_TEMPLATE,
      by: 'ana',
      at: '2026-11-25T10:05:00Z',
      matchesRevision: true,
      state: 'applies',
    });
    expect(rollout.reason).toBe(
      'Revision 3f2c1e9 of openfaas-fn/chatbot was approved by ana; Flagger promotes it at its next check.',
    );
  });

  test('an approval names the person it was given for beside the identity that wrote it', () => {
    const rollout = interpret(
      withAnnotations(load('waiting-promotion'), {
        ...approvedBy('3f2c1e9', 'system:serviceaccount:ci:promote'),
        'greenlight.dev/approved-note': 'github:ana',
      }),
    );
    expect(rollout.approval?.note).toBe('github:ana');
    expect(rollout.reason).toBe(
      'Revision 3f2c1e9 of openfaas-fn/chatbot was approved by github:ana (as system:serviceaccount:ci:promote); Flagger promotes it at its next check.',
    );
  });

  // Before the binding, an approval naming the revision was enough: the view said "approved"
  // for a pod template nobody had seen. These say the opposite: it still waits, and why.
  test.each([
    [
      'another pod template under the same revision',
      {
        'greenlight.dev/approved-checksum': 'x9z9z9',
        'greenlight.dev/approved-analysis': WAITING_STARTED,
        'greenlight.dev/approved-template': WAITING_TEMPLATE,
      },
      'other-template',
      '(the approval of revision 3f2c1e9 was for another pod template: the Deployment changed since)',
    ],
    [
      'an earlier analysis, used since',
      {
        'greenlight.dev/approved-checksum': WAITING_CHECKSUM,
        'greenlight.dev/approved-analysis': '2026-11-24T09:00:00Z',
        'greenlight.dev/approved-template': WAITING_TEMPLATE,
      },
      'used',
      '(the approval of revision 3f2c1e9 was used by an earlier analysis)',
    ],
    [
      'a pod template the target no longer holds, Flagger still analysing the approved one',
      {
        'greenlight.dev/approved-checksum': WAITING_CHECKSUM,
        'greenlight.dev/approved-analysis': WAITING_STARTED,
        'greenlight.dev/approved-template': 'sha256:swapped-since',
      },
      'other-template',
      '(the approval of revision 3f2c1e9 was for another pod template: the Deployment changed since)',
    ],
    [
      'no analysis (written by hand)',
      {},
      'unbound',
      '(the approval of revision 3f2c1e9 names no analysis; approve again)',
    ],
  ])(
    'WaitingPromotion with an approval of this revision for %s still waits, and says why',
    (_what, bound, state, why) => {
      const rollout = interpret(
        withAnnotations(load('waiting-promotion'), approvedBy('3f2c1e9', 'ana', bound)),
      );
      expect(rollout.waitingForApproval).toBe(true);
      expect(rollout.approval).toMatchObject({ matchesRevision: true, state });
      expect(rollout.reason).toContain(why);
    },
  );

  test('WaitingPromotion with an approval of an older revision still waits, and says why', () => {
    const rollout = interpret(
      withAnnotations(load('waiting-promotion'), approvedBy('a1b2c3d', 'ana')),
    );
    expect(rollout.waitingForApproval).toBe(true);
    expect(rollout.approval?.matchesRevision).toBe(false);
    expect(rollout.reason).toContain('(the approval on the Canary is for revision a1b2c3d)');
  });

  test('WaitingPromotion with an abort of this revision reports the rollback under way', () => {
    const rollout = interpret(
      withAnnotations(load('waiting-promotion'), {
        ...approvedBy('3f2c1e9', 'ana'),
        'greenlight.dev/abort-revision': '3f2c1e9',
        'greenlight.dev/abort-analysis': WAITING_STARTED,
        'greenlight.dev/abort-by': 'bob',
      }),
    );
    expect(rollout).toMatchObject({ waitingForApproval: false, verdict: 'in-progress' });
    expect(rollout.abort).toEqual({
      revision: '3f2c1e9',
      analysis: WAITING_STARTED,
      by: 'bob',
      matchesRevision: true,
    });
    expect(rollout.reason).toBe(
      'Revision 3f2c1e9 of openfaas-fn/chatbot is being rolled back at the request of bob.',
    );
  });

  test('WaitingPromotion with an abort of an earlier run of this revision is not rolled back and promotes on its approval', () => {
    const rollout = interpret(
      withAnnotations(load('waiting-promotion'), {
        ...approvedBy('3f2c1e9', 'ana'),
        'greenlight.dev/abort-revision': '3f2c1e9',
        'greenlight.dev/abort-analysis': '2026-11-24T09:00:00Z',
        'greenlight.dev/abort-by': 'bob',
      }),
    );
    expect(rollout.abort?.matchesRevision).toBe(false);
    expect(rollout.reason).toBe(
      'Revision 3f2c1e9 of openfaas-fn/chatbot was approved by ana; Flagger promotes it at its next check.',
    );
  });

  test('Succeeded with the promoted revision equal to the target is a success', () => {
    expect(view('succeeded')).toMatchObject({
      verdict: 'succeeded',
      revision: '3f2c1e9',
      promotedRevision: '3f2c1e9',
      weights: { blue: 100, green: 0, source: 'route' },
      step: { current: 5, total: 5 },
      reason: 'Revision 3f2c1e9 of openfaas-fn/chatbot was promoted and serves all traffic.',
    });
  });

  test('Succeeded while the target already carries a newer revision is a rollout about to start', () => {
    const bundle = load('succeeded');
    bundle.target!.spec!.template.metadata!.annotations!['greenlight.dev/revision'] = '9e8d7c6';
    expect(interpret(bundle)).toMatchObject({
      verdict: 'in-progress',
      reason:
        'Revision 9e8d7c6 of openfaas-fn/chatbot is new; Flagger will start its analysis at its next check (revision 3f2c1e9 serves traffic).',
    });
  });

  test('Failed takes its reason from the Promoted condition', () => {
    expect(view('failed')).toMatchObject({
      verdict: 'failed',
      weights: { blue: 100, green: 0, source: 'route' },
      reason:
        'Revision 3f2c1e9 of openfaas-fn/chatbot was rolled back: canary analysis failed, Deployment scaled to zero.',
    });
  });

  // Both an abort abort() writes (bound to the run it ended) and one written by hand.
  test.each([
    ['bound to the run it ended', { 'greenlight.dev/abort-analysis': '2026-11-25T09:55:00Z' }],
    ['written by hand, naming no run', {}],
  ])('Failed after an abort %s says who asked for the rollback', (_how, bound) => {
    const rollout = interpret(
      withAnnotations(load('failed'), {
        'greenlight.dev/abort-revision': '3f2c1e9',
        ...bound,
        'greenlight.dev/abort-by': 'bob',
      }),
    );
    expect(rollout.reason).toBe(
      'Revision 3f2c1e9 of openfaas-fn/chatbot was rolled back at the request of bob.',
    );
  });

  test.each([
    [
      'initializing',
      'Initializing',
      'in-progress',
      'Flagger is creating the primary of openfaas-fn/chatbot from its first revision.',
    ],
    [
      'initialized',
      'Initialized',
      'idle',
      'Revision 3f2c1e9 of openfaas-fn/chatbot serves all traffic; no rollout has run yet.',
    ],
    [
      'waiting',
      'Waiting',
      'in-progress',
      'Revision 3f2c1e9 of openfaas-fn/chatbot waits for its confirm-rollout webhook before the analysis starts.',
    ],
    [
      'promoting',
      'Promoting',
      'in-progress',
      'Revision 3f2c1e9 of openfaas-fn/chatbot passed its analysis and is being promoted to primary.',
    ],
    [
      'finalising',
      'Finalising',
      'in-progress',
      'Revision 3f2c1e9 of openfaas-fn/chatbot passed its analysis and is being promoted to primary.',
    ],
    [
      'terminating',
      'Terminating',
      'idle',
      'Canary openfaas-fn/chatbot is being deleted; Flagger is handing the Deployment back.',
    ],
    [
      'terminated',
      'Terminated',
      'idle',
      'Canary openfaas-fn/chatbot was deleted; Flagger no longer manages it.',
    ],
    [
      'new',
      'Unknown',
      'idle',
      'Flagger has not reported on Canary openfaas-fn/chatbot yet; check that Flagger runs and watches namespace openfaas-fn.',
    ],
  ])('%s reads as phase %s, verdict %s', (fixture, phase, verdict, reason) => {
    expect(view(fixture)).toMatchObject({ phase, verdict, reason, waitingForApproval: false });
  });

  test('a Canary Flagger has not seen has no weights to show', () => {
    expect(view('new').weights).toEqual({ blue: 0, green: 0, source: 'none' });
  });
});

describe('routes and strategies', () => {
  test('reads Gateway API weights from the rule holding both backends, not the A/B match rule', () => {
    expect(view('gatewayapi-progressing')).toMatchObject({
      provider: 'gatewayapi:v1beta1',
      weights: { blue: 70, green: 30, source: 'route' },
      step: { current: 3, total: 5 },
    });
  });

  test('normalises v1alpha1 quantity weights to percent', () => {
    const bundle = load('progressing');
    const split = bundle.route as TrafficSplit;
    split.spec.backends = [
      { service: 'chatbot-canary', weight: '250m' },
      { service: 'chatbot-primary', weight: '750m' },
    ];
    expect(interpret(bundle).weights).toEqual({ blue: 75, green: 25, source: 'route' });
  });

  test('reads weights from the backends named after spec.service.name when it is set', () => {
    const bundle = load('progressing');
    bundle.canary.spec.service.name = 'chat';
    (bundle.route as TrafficSplit).spec.backends = [
      { service: 'chat-canary', weight: 40 },
      { service: 'chat-primary', weight: 60 },
    ];
    expect(interpret(bundle).weights).toEqual({ blue: 60, green: 40, source: 'route' });
  });

  test('falls back to status.canaryWeight, and says so, when the route names neither backend', () => {
    const bundle = load('progressing');
    (bundle.route as TrafficSplit).spec.backends = [{ service: 'someone-else', weight: 100 }];
    expect(interpret(bundle).weights).toEqual({ blue: 80, green: 20, source: 'status' });
  });

  test('counts blue/green progress in iterations', () => {
    expect(view('blue-green-progressing')).toMatchObject({
      strategy: 'blue-green',
      step: { current: 4, total: 10 },
      threshold: 2,
      weights: { blue: 100, green: 0, source: 'route' },
    });
  });

  test('counts stepWeights progress by the steps reached', () => {
    expect(view('step-weights-progressing').step).toEqual({ current: 3, total: 5 });
  });

  test('counts the last, clamped step of a stepWeight that does not divide maxWeight', () => {
    const bundle = load('progressing');
    bundle.canary.spec.analysis.stepWeight = 20;
    (bundle.route as TrafficSplit).spec.backends = [
      { service: 'chatbot-canary', weight: '50' },
      { service: 'chatbot-primary', weight: '50' },
    ];
    expect(interpret(bundle).step).toEqual({ current: 3, total: 3 });
  });
});

describe('superseded revisions', () => {
  test('a followed revision replaced before promotion is superseded', () => {
    const rollout = view('progressing', { following: 'b4c5d6e' });
    expect(rollout.verdict).toBe('superseded');
    expect(rollout.reason).toBe(
      'Revision b4c5d6e of openfaas-fn/chatbot was superseded by revision 3f2c1e9 before it was promoted.',
    );
  });

  test('a followed revision that was promoted before the next one arrived succeeded', () => {
    const rollout = view('progressing', { following: 'a1b2c3d' });
    expect(rollout.verdict).toBe('succeeded');
  });

  test('the first revision, once Flagger initialized the primary with it, succeeded for whoever follows it', () => {
    const rollout = view('initialized', { following: '3f2c1e9' });
    expect(rollout.verdict).toBe('succeeded');
    expect(rollout.reason).toBe(
      'Revision 3f2c1e9 of openfaas-fn/chatbot is the first Flagger saw: it initialized the primary with it, without an analysis, and it serves all traffic.',
    );
    expect(view('initialized').verdict).toBe('idle');
  });

  test('following the revision under analysis changes nothing', () => {
    expect(view('progressing', { following: '3f2c1e9' }).verdict).toBe('in-progress');
  });
});
