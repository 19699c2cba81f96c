import { readFileSync } from 'node:fs';
import type { V1Deployment } from '@kubernetes/client-node';
import type { Canary } from 'flagger-types';
import {
  ABORT_ANALYSIS,
  ABORT_AT,
  ABORT_BY,
  ABORT_REVISION,
  APPROVED_ANALYSIS,
  APPROVED_AT,
  APPROVED_BY,
  APPROVED_CHECKSUM,
  APPROVED_REVISION,
  APPROVED_TEMPLATE,
  REVISION_ANNOTATION,
  abortPatch,
  approvalPatch,
  canaryChecksum,
  clearAbortPatch,
  decide,
  readAbort,
  readApproval,
  revisionOf,
  templateHash,
} from '../src/approval/index.ts';
import type { DecideInput, DecisionCode, DecisionStatus } from '../src/approval/index.ts';

const fixture = <T>(name: string): T =>
  JSON.parse(
    readFileSync(new URL(`./fixtures/approval/${name}.json`, import.meta.url), 'utf8'),
  ) as T;

// The fixture target Deployment carries revision 3f2c1e9: the revision under analysis. The
// fixture Canary is in WaitingPromotion, its analysis begun at STARTED (the Promoted
// condition's lastTransitionTime), and Flagger's webhooks carry CHECKSUM, the checksum of
// its status (checksum.test.ts checks canaryChecksum against Go's own output).
const UNDER_ANALYSIS = '3f2c1e9';
const STARTED = '2026-11-25T10:00:00Z';
const CHECKSUM = canaryChecksum(fixture<Canary>('canary').status);
/** The checksum of another pod template under the same revision annotation. */
const OTHER_CHECKSUM = canaryChecksum({ lastAppliedSpec: '6c9f8d7b4d', trackedConfigs: {} });
const payload = {
  name: 'chatbot',
  namespace: 'openfaas-fn',
  phase: 'WaitingPromotion',
  checksum: CHECKSUM,
};

function canaryWith(annotations: Record<string, string> = {}): Canary {
  const canary = fixture<Canary>('canary');
  canary.metadata.annotations = { ...canary.metadata.annotations, ...annotations };
  return canary;
}
/** An approval as approve() writes it: bound to the fixture's analysis unless told otherwise. */
const approved = (
  revision: string,
  by = 'ana',
  bound: { checksum?: string; analysis?: string; template?: string } = {
    checksum: CHECKSUM,
    analysis: STARTED,
  },
) => ({
  [APPROVED_REVISION]: revision,
  ...(bound.checksum ? { [APPROVED_CHECKSUM]: bound.checksum } : {}),
  ...(bound.analysis ? { [APPROVED_ANALYSIS]: bound.analysis } : {}),
  // The template approved: the fixture target's unless told otherwise ('' writes none).
  ...(bound.template !== '' ? { [APPROVED_TEMPLATE]: bound.template ?? TEMPLATE } : {}),
  ...(by ? { [APPROVED_BY]: by } : {}),
  [APPROVED_AT]: '2026-11-25T10:05:00.000Z',
});
/** The fixture Canary in another phase, its Promoted condition as Flagger writes it there. */
function canaryIn(
  phase: 'Progressing' | 'Succeeded' | 'Failed' | 'Initialized',
  annotations: Record<string, string>,
  lastTransitionTime = STARTED,
): Canary {
  const canary = canaryWith(annotations);
  const status = {
    Progressing: 'Unknown',
    Succeeded: 'True',
    Failed: 'False',
    Initialized: 'True',
  }[phase] as 'Unknown' | 'True' | 'False';
  canary.status = {
    ...canary.status,
    phase,
    conditions: [{ type: 'Promoted', status, reason: phase, lastTransitionTime }],
  };
  return canary;
}
/** An abort as abort() writes it: bound to the run under way (STARTED) unless told otherwise. */
const aborted = (revision: string, by = 'bob', analysis: string | undefined = STARTED) => ({
  [ABORT_REVISION]: revision,
  ...(analysis ? { [ABORT_ANALYSIS]: analysis } : {}),
  [ABORT_BY]: by,
  [ABORT_AT]: '2026-11-25T10:06:00.000Z',
});
/** The start of an earlier analysis run of the same revision (a re-deploy since). */
const EARLIER_RUN = '2026-11-24T08:00:00Z';
const target = (revision?: string): V1Deployment => {
  const deployment = fixture<V1Deployment>('target');
  const annotations = deployment.spec!.template.metadata!.annotations!;
  if (revision === undefined) delete annotations[REVISION_ANNOTATION];
  else annotations[REVISION_ANNOTATION] = revision;
  return deployment;
};
/** Greenlight's hash of the fixture target's pod template: what an approval of it records. */
const TEMPLATE = templateHash(target(UNDER_ANALYSIS));
/** The fixture target with another image under the same revision annotation. */
function swappedTarget(): V1Deployment {
  const deployment = target(UNDER_ANALYSIS);
  const container = deployment.spec!.template.spec!.containers[0]!;
  container.image = `${container.image}-swapped`;
  return deployment;
}
const input = (overrides: Partial<DecideInput> = {}): DecideInput => ({
  gate: 'promotion',
  payload,
  canary: canaryWith(),
  target: target(UNDER_ANALYSIS),
  synced: true,
  ...overrides,
});

type Row = [promise: string, input: DecideInput, status: DecisionStatus, code: DecisionCode];

const decisions: Row[] = [
  [
    'allows promotion when the approved revision is the one under analysis',
    input({ canary: canaryWith(approved(UNDER_ANALYSIS)) }),
    200,
    'Approved',
  ],
  ['refuses promotion while nothing is approved', input(), 403, 'NotApproved'],
  [
    'refuses promotion when the approved revision is not the one under analysis',
    input({ canary: canaryWith(approved('a1b2c3d')) }),
    403,
    'OtherRevision',
  ],
  [
    'refuses promotion when the approval names this revision but another pod template (the Deployment changed under the same revision)',
    input({
      canary: canaryWith(
        approved(UNDER_ANALYSIS, 'ana', { checksum: OTHER_CHECKSUM, analysis: STARTED }),
      ),
    }),
    403,
    'OtherTemplate',
  ],
  [
    'refuses promotion when the target now holds another pod template than the one approved, though Flagger still reports the analysed checksum (Promote copies the live target)',
    input({ canary: canaryWith(approved(UNDER_ANALYSIS)), target: swappedTarget() }),
    403,
    'OtherTemplate',
  ],
  [
    'refuses promotion on an approval without the pod template it was given for',
    input({
      canary: canaryWith(
        approved(UNDER_ANALYSIS, 'ana', { checksum: CHECKSUM, analysis: STARTED, template: '' }),
      ),
    }),
    403,
    'ApprovalUnbound',
  ],
  [
    'refuses promotion on an approval stripped of its approver',
    input({ canary: canaryWith(approved(UNDER_ANALYSIS, '')) }),
    403,
    'ApprovalUnbound',
  ],
  [
    'refuses promotion on an approval given for an earlier analysis run of the same template (an approval promotes once)',
    input({
      canary: canaryWith(
        approved(UNDER_ANALYSIS, 'ana', { checksum: CHECKSUM, analysis: '2026-11-24T08:00:00Z' }),
      ),
    }),
    403,
    'ApprovalUsed',
  ],
  [
    'refuses promotion on an approval whose analysis was promoted and a new one of another template began',
    input({
      canary: canaryWith(
        approved(UNDER_ANALYSIS, 'ana', {
          checksum: OTHER_CHECKSUM,
          analysis: '2026-11-24T08:00:00Z',
        }),
      ),
    }),
    403,
    'ApprovalUsed',
  ],
  [
    'refuses promotion once the approved analysis has succeeded (the Canary is no longer analysing)',
    input({ canary: canaryIn('Succeeded', approved(UNDER_ANALYSIS), '2026-11-25T10:07:00Z') }),
    403,
    'ApprovalUsed',
  ],
  [
    'refuses promotion once the approved analysis has failed',
    input({ canary: canaryIn('Failed', approved(UNDER_ANALYSIS), '2026-11-25T10:07:00Z') }),
    403,
    'ApprovalUsed',
  ],
  [
    'refuses promotion on an approval written by hand without a checksum',
    input({ canary: canaryWith(approved(UNDER_ANALYSIS, 'ana', { analysis: STARTED })) }),
    403,
    'ApprovalUnbound',
  ],
  [
    'refuses promotion on an approval without the analysis it was given for',
    input({ canary: canaryWith(approved(UNDER_ANALYSIS, 'ana', { checksum: CHECKSUM })) }),
    403,
    'ApprovalUnbound',
  ],
  [
    'refuses promotion on a bare approved-revision annotation (the approval before the binding)',
    input({ canary: canaryWith({ [APPROVED_REVISION]: UNDER_ANALYSIS }) }),
    403,
    'ApprovalUnbound',
  ],
  [
    'answers NotSynced when Flagger analyses another checksum than the Canary the gate holds',
    input({
      payload: { ...payload, checksum: OTHER_CHECKSUM },
      canary: canaryWith(approved(UNDER_ANALYSIS)),
    }),
    503,
    'NotSynced',
  ],
  [
    'does not promote a stale cached Canary even when the approval names the checksum Flagger sends',
    input({
      payload: { ...payload, checksum: OTHER_CHECKSUM },
      canary: canaryWith(
        approved(UNDER_ANALYSIS, 'ana', { checksum: OTHER_CHECKSUM, analysis: STARTED }),
      ),
    }),
    503,
    'NotSynced',
  ],
  [
    'still names another revision first when the approval is for another revision and another template',
    input({
      canary: canaryWith(
        approved('a1b2c3d', 'ana', { checksum: OTHER_CHECKSUM, analysis: STARTED }),
      ),
    }),
    403,
    'OtherRevision',
  ],
  [
    'allows promotion in Progressing too when the approval is bound to this run',
    input({ canary: canaryIn('Progressing', approved(UNDER_ANALYSIS)) }),
    200,
    'Approved',
  ],
  [
    'allows a rollback for an abort of this revision whatever the checksum Flagger sends',
    input({
      gate: 'rollback',
      payload: { ...payload, checksum: OTHER_CHECKSUM },
      canary: canaryWith(aborted(UNDER_ANALYSIS)),
    }),
    200,
    'Aborted',
  ],
  [
    'refuses promotion of an approved revision that was also aborted (abort wins over approve)',
    input({ canary: canaryWith({ ...approved(UNDER_ANALYSIS), ...aborted(UNDER_ANALYSIS) }) }),
    403,
    'Aborted',
  ],
  [
    'allows promotion when the abort on the Canary is for an older revision',
    input({ canary: canaryWith({ ...approved(UNDER_ANALYSIS), ...aborted('a1b2c3d') }) }),
    200,
    'Approved',
  ],
  [
    'allows promotion when the abort on the Canary was for an earlier run of the same revision (an abort rolls back its run only)',
    input({
      canary: canaryWith({
        ...approved(UNDER_ANALYSIS),
        ...aborted(UNDER_ANALYSIS, 'bob', EARLIER_RUN),
      }),
    }),
    200,
    'Approved',
  ],
  [
    'refuses promotion of an approved revision with a hand-written abort naming no run (it acts on the revision)',
    input({
      canary: canaryWith({
        ...approved(UNDER_ANALYSIS),
        ...aborted(UNDER_ANALYSIS, 'bob', undefined),
      }),
    }),
    403,
    'Aborted',
  ],
  [
    'refuses promotion when the approval annotation is empty',
    input({ canary: canaryWith({ [APPROVED_REVISION]: '  ' }) }),
    403,
    'NotApproved',
  ],
  [
    'allows a rollback when the abort names the revision under analysis',
    input({ gate: 'rollback', canary: canaryWith(aborted(UNDER_ANALYSIS)) }),
    200,
    'Aborted',
  ],
  ['refuses a rollback nobody asked for', input({ gate: 'rollback' }), 403, 'NotAborted'],
  [
    'refuses a rollback when the abort names another revision',
    input({ gate: 'rollback', canary: canaryWith(aborted('a1b2c3d')) }),
    403,
    'OtherRevision',
  ],
  [
    'refuses a rollback of a new run when the abort was for an earlier run of the same revision',
    input({ gate: 'rollback', canary: canaryWith(aborted(UNDER_ANALYSIS, 'bob', EARLIER_RUN)) }),
    403,
    'OtherRevision',
  ],
  [
    'allows a rollback for a hand-written abort of this revision that names no run',
    input({ gate: 'rollback', canary: canaryWith(aborted(UNDER_ANALYSIS, 'bob', undefined)) }),
    200,
    'Aborted',
  ],
  [
    'refuses a rollback on an approval alone',
    input({ gate: 'rollback', canary: canaryWith(approved(UNDER_ANALYSIS)) }),
    403,
    'NotAborted',
  ],
  [
    'refuses when the cache has not synced',
    input({ canary: canaryWith(approved(UNDER_ANALYSIS)), synced: false }),
    503,
    'NotSynced',
  ],
  ['refuses when the Canary does not exist', input({ canary: undefined }), 404, 'UnknownCanary'],
  [
    'refuses when the Canary handed in is not the one the payload names',
    input({
      payload: { ...payload, name: 'other-bot' },
      canary: canaryWith(approved(UNDER_ANALYSIS)),
    }),
    404,
    'UnknownCanary',
  ],
  [
    'refuses when the target Deployment does not exist',
    input({ canary: canaryWith(approved(UNDER_ANALYSIS)), target: undefined }),
    404,
    'UnknownTarget',
  ],
  [
    'refuses when the target has no revision annotation, even with an approval',
    input({ canary: canaryWith(approved(UNDER_ANALYSIS)), target: target(undefined) }),
    403,
    'NoRevision',
  ],
  [
    'refuses a payload whose name is not a DNS-1123 label',
    input({
      payload: { ...payload, name: 'Chat_Bot' },
      canary: canaryWith(approved(UNDER_ANALYSIS)),
    }),
    400,
    'BadPayload',
  ],
  [
    'refuses a payload whose namespace is longer than 63 characters',
    input({ payload: { ...payload, namespace: 'a'.repeat(64) } }),
    400,
    'BadPayload',
  ],
  [
    'refuses a payload without a name',
    input({ payload: { ...payload, name: undefined } }),
    400,
    'BadPayload',
  ],
  ['refuses a payload that is not an object', input({ payload: 'chatbot' }), 400, 'BadPayload'],
  ['refuses a payload that is null', input({ payload: null }), 400, 'BadPayload'],
  [
    'refuses a payload whose checksum is not a string',
    input({ payload: { ...payload, checksum: 42 } }),
    400,
    'BadPayload',
  ],
  [
    'refuses a payload whose metadata values are not strings',
    input({ payload: { ...payload, metadata: { retries: 3 } } }),
    400,
    'BadPayload',
  ],
  [
    'refuses a payload with an oversized phase',
    input({ payload: { ...payload, phase: 'P'.repeat(33) } }),
    400,
    'BadPayload',
  ],
  [
    'accepts Flagger payload metadata and still decides on the approval',
    input({
      payload: { ...payload, metadata: { type: 'confirm-promotion' } },
      canary: canaryWith(approved(UNDER_ANALYSIS)),
    }),
    200,
    'Approved',
  ],
  [
    'refuses a gate it does not know, even with an approval and an abort',
    input({
      gate: 'both' as DecideInput['gate'],
      canary: canaryWith({ ...approved(UNDER_ANALYSIS), ...aborted(UNDER_ANALYSIS) }),
    }),
    400,
    'BadPayload',
  ],
  [
    'checks the payload before anything else (an unsynced gate still says 400 to garbage)',
    input({ payload: [], synced: false }),
    400,
    'BadPayload',
  ],
];

describe('decide', () => {
  test.each(decisions)('%s', (_promise, given, status, code) => {
    const decision = decide(given);
    expect({ status: decision.status, code: decision.code }).toEqual({ status, code });
    expect(decision.allowed).toBe(status === 200);
    expect(decision.reason).toMatch(/^[A-Z].*\.$/);
  });

  test('names who approved and which revision on an allowed promotion', () => {
    const decision = decide(
      input({ canary: canaryWith(approved(UNDER_ANALYSIS, 'user:default/ana')) }),
    );
    expect(decision).toMatchObject({ revision: UNDER_ANALYSIS, by: 'user:default/ana' });
    expect(decision.reason).toBe(
      'Revision 3f2c1e9 of Canary openfaas-fn/chatbot was approved by user:default/ana.',
    );
  });

  test('says which revision is approved and which one is under analysis when they differ', () => {
    const decision = decide(input({ canary: canaryWith(approved('a1b2c3d', 'ana')) }));
    expect(decision.reason).toBe(
      'The approval on Canary openfaas-fn/chatbot is for revision a1b2c3d by ana, not for revision 3f2c1e9 under analysis.',
    );
  });

  test('says the Deployment changed under the same revision and to approve again, naming the checksum under analysis', () => {
    const decision = decide(
      input({
        canary: canaryWith(
          approved(UNDER_ANALYSIS, 'ana', { checksum: OTHER_CHECKSUM, analysis: STARTED }),
        ),
      }),
    );
    expect(decision).toMatchObject({ allowed: false, revision: UNDER_ANALYSIS, by: 'ana' });
    expect(decision.reason).toContain(
      `another pod template than the one Flagger is analysing (checksum ${CHECKSUM})`,
    );
    expect(decision.reason).toContain('approve again');
  });

  test('says the Deployment changed when the live target holds another template than the one approved', () => {
    const decision = decide(
      input({ canary: canaryWith(approved(UNDER_ANALYSIS)), target: swappedTarget() }),
    );
    expect(decision).toMatchObject({ allowed: false, code: 'OtherTemplate', by: 'ana' });
    expect(decision.reason).toContain('or the Deployment now holds');
  });

  test('says an abort of an earlier run of the same revision rolls back nothing now', () => {
    const decision = decide(
      input({ gate: 'rollback', canary: canaryWith(aborted(UNDER_ANALYSIS, 'bob', EARLIER_RUN)) }),
    );
    expect(decision.reason).toBe(
      'The abort on Canary openfaas-fn/chatbot is for an earlier analysis of revision 3f2c1e9 by bob, not for the analysis of revision 3f2c1e9 under way.',
    );
  });

  test('says an approval promotes once when it was for an earlier analysis', () => {
    const decision = decide(input({ canary: canaryIn('Succeeded', approved(UNDER_ANALYSIS)) }));
    expect(decision.reason).toContain('was given for an earlier analysis');
    expect(decision.reason).toContain('an approval promotes once');
  });

  test('says an unbound approval lacks its binding and must be given again with Greenlight', () => {
    const decision = decide(input({ canary: canaryWith({ [APPROVED_REVISION]: UNDER_ANALYSIS }) }));
    expect(decision.reason).toContain(
      'does not say which analysis, pod template and approver it is for (one of greenlight.dev/approved-checksum',
    );
    expect(decision.reason).toContain('approve again with Greenlight');
  });

  test('tells how to fix a target without a revision annotation', () => {
    const decision = decide(input({ target: target(undefined) }));
    expect(decision.reason).toContain(
      'spec.template.metadata.annotations["greenlight.dev/revision"]',
    );
  });

  test('names the payload field that is wrong', () => {
    const decision = decide(input({ payload: { ...payload, name: 'Chat_Bot' } }));
    expect(decision.reason).toBe(
      'The webhook payload field "name" must be a DNS-1123 label (lower-case letters, digits and "-", at most 63 characters).',
    );
    expect(decide(input({ payload: { namespace: 'openfaas-fn' } })).reason).toBe(
      'The webhook payload field "name" is missing.',
    );
  });
});

describe('annotations', () => {
  test('an approval is a merge patch of every approval annotation, binding it to the analysis', () => {
    expect(
      approvalPatch({
        revision: 'r1',
        checksum: CHECKSUM,
        analysis: STARTED,
        template: TEMPLATE,
        by: 'system:serviceaccount:ci:promote',
        note: 'github:ana https://github.com/acme/bots/actions/runs/7',
        at: new Date('2026-11-25T10:05:00Z'),
      }),
    ).toEqual({
      metadata: {
        annotations: {
          'greenlight.dev/approved-revision': 'r1',
          'greenlight.dev/approved-checksum': CHECKSUM,
          'greenlight.dev/approved-analysis': STARTED,
          'greenlight.dev/approved-template': TEMPLATE,
          'greenlight.dev/approved-by': 'system:serviceaccount:ci:promote',
          'greenlight.dev/approved-note': 'github:ana https://github.com/acme/bots/actions/runs/7',
          'greenlight.dev/approved-at': '2026-11-25T10:05:00.000Z',
        },
      },
    });
  });

  test("a new approval without a note removes the earlier approval's note (nothing of it survives)", () => {
    const patch = approvalPatch({
      revision: 'r2',
      checksum: CHECKSUM,
      analysis: STARTED,
      by: 'bob',
      at: '2026-11-25T10:06:00Z',
    }) as { metadata: { annotations: Record<string, string | null> } };
    expect(patch.metadata.annotations['greenlight.dev/approved-note']).toBeNull();
  });

  test('an abort is a merge patch of the abort annotations, binding it to its run, and clearing it nulls them all', () => {
    expect(
      abortPatch({
        revision: 'r1',
        checksum: CHECKSUM,
        analysis: STARTED,
        by: 'bob',
        at: '2026-11-25T10:06:00Z',
      }),
    ).toEqual({
      metadata: {
        annotations: {
          'greenlight.dev/abort-revision': 'r1',
          'greenlight.dev/abort-checksum': CHECKSUM,
          'greenlight.dev/abort-analysis': STARTED,
          'greenlight.dev/abort-by': 'bob',
          'greenlight.dev/abort-note': null,
          'greenlight.dev/abort-at': '2026-11-25T10:06:00Z',
        },
      },
    });
    expect(clearAbortPatch()).toEqual({
      metadata: {
        annotations: {
          'greenlight.dev/abort-revision': null,
          'greenlight.dev/abort-checksum': null,
          'greenlight.dev/abort-analysis': null,
          'greenlight.dev/abort-by': null,
          'greenlight.dev/abort-note': null,
          'greenlight.dev/abort-at': null,
        },
      },
    });
  });

  test('reads back what the patches write', () => {
    const canary = canaryWith({ ...approved('r1', 'ana'), ...aborted('r0', 'bob') });
    expect(readApproval(canary)).toEqual({
      revision: 'r1',
      checksum: CHECKSUM,
      analysis: STARTED,
      template: TEMPLATE,
      by: 'ana',
      at: '2026-11-25T10:05:00.000Z',
    });
    expect(readAbort(canary)).toEqual({
      revision: 'r0',
      analysis: STARTED,
      by: 'bob',
      at: '2026-11-25T10:06:00.000Z',
    });
  });

  test('reads no approval from a Canary without annotations', () => {
    expect(readApproval(fixture<Canary>('canary'))).toBeUndefined();
    expect(readAbort(undefined)).toBeUndefined();
  });

  test('reads the revision under analysis from the pod template, not the Deployment metadata', () => {
    expect(revisionOf(target(UNDER_ANALYSIS))).toBe(UNDER_ANALYSIS);
    expect(revisionOf(target(undefined))).toBeUndefined();
    expect(revisionOf(target(''))).toBeUndefined();
    expect(revisionOf(undefined)).toBeUndefined();
  });
});
