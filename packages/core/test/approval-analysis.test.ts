import type { Canary, CanaryCondition, CanaryPhase } from 'flagger-types';
import { abortApplies, analysisOf, approvalState, canaryChecksum } from '../src/approval/index.ts';
import type { Analysis, ApprovalState } from '../src/approval/index.ts';

// Which analysis Flagger is running, read from the Canary's status as Flagger v1.44 writes it
// (MakeStatusConditions, pkg/canary/status.go: Promoted is Unknown from Progressing to
// Finalising, True at Initialized and Succeeded, False at Failed), and how an approval on the
// Canary relates to it.

const STARTED = '2026-11-25T10:00:00Z';
const STATUS = { lastAppliedSpec: '5b8d9f7c6d', trackedConfigs: {} };

function canary(
  phase: CanaryPhase | undefined,
  promoted?: Partial<CanaryCondition>,
  status: Record<string, unknown> = STATUS,
): Canary {
  return {
    apiVersion: 'flagger.app/v1beta1',
    kind: 'Canary',
    metadata: { name: 'chatbot', namespace: 'openfaas-fn' },
    spec: { targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'chatbot' } },
    status: {
      ...status,
      ...(phase ? { phase } : {}),
      ...(promoted ? { conditions: [{ type: 'Promoted', ...promoted } as CanaryCondition] } : {}),
    },
  } as Canary;
}
const unknownSince = (lastTransitionTime = STARTED) => ({
  status: 'Unknown' as const,
  lastTransitionTime,
});

describe('analysisOf', () => {
  const analysing: CanaryPhase[] = [
    'Waiting',
    'Progressing',
    'WaitingPromotion',
    'Promoting',
    'Finalising',
  ];
  test.each(analysing)('names the run under way in %s: its checksum and start', (phase) => {
    expect(analysisOf(canary(phase, unknownSince()))).toEqual({
      checksum: canaryChecksum(STATUS),
      startedAt: STARTED,
    });
  });

  type Row = [promise: string, canary: Canary | undefined];
  const none: Row[] = [
    ['no Canary', undefined],
    ['a Canary Flagger has not reported on yet', canary(undefined)],
    ['Initializing', canary('Initializing', unknownSince())],
    [
      'Initialized (Promoted True)',
      canary('Initialized', { status: 'True', lastTransitionTime: STARTED }),
    ],
    [
      'Succeeded (Promoted True)',
      canary('Succeeded', { status: 'True', lastTransitionTime: STARTED }),
    ],
    ['Failed (Promoted False)', canary('Failed', { status: 'False', lastTransitionTime: STARTED })],
    ['Terminating', canary('Terminating', unknownSince())],
    ['an analysing phase without a Promoted condition', canary('Progressing')],
    [
      'an analysing phase whose Promoted condition has no transition time',
      canary('Progressing', { status: 'Unknown' }),
    ],
    [
      'an analysing phase whose Promoted condition is not Unknown (a status written out of order)',
      canary('WaitingPromotion', { status: 'True', lastTransitionTime: STARTED }),
    ],
  ];
  test.each(none)('names no analysis for %s', (_promise, given) => {
    expect(analysisOf(given)).toBeUndefined();
  });

  test('a new pod template (lastAppliedSpec) or tracked config is a new checksum', () => {
    const base = analysisOf(canary('Progressing', unknownSince())) as Analysis;
    const template = analysisOf(
      canary('Progressing', unknownSince(), { ...STATUS, lastAppliedSpec: '6c9f8d7b4d' }),
    ) as Analysis;
    const config = analysisOf(
      canary('Progressing', unknownSince(), {
        ...STATUS,
        trackedConfigs: { 'secret/chatbot-keys': 'a1b2c3' },
      }),
    ) as Analysis;
    expect(new Set([base.checksum, template.checksum, config.checksum]).size).toBe(3);
  });
});

describe('approvalState', () => {
  const now: Analysis = { checksum: 'ch3ck', startedAt: STARTED };
  const bound = {
    revision: 'v2',
    checksum: 'ch3ck',
    analysis: STARTED,
    template: 'sha256:t2',
    by: 'system:serviceaccount:greenlight:approve',
  };
  type Row = [
    promise: string,
    approval: Parameters<typeof approvalState>[0],
    revision: string | undefined,
    analysis: Analysis | undefined,
    state: ApprovalState,
  ];
  const rows: Row[] = [
    ['applies to the revision, template and run it was given for', bound, 'v2', now, 'applies'],
    ['names another revision', bound, 'v3', now, 'other-revision'],
    [
      'names another revision when no revision is under analysis',
      bound,
      undefined,
      now,
      'other-revision',
    ],
    [
      'names another template: same revision, same run, new pod template',
      bound,
      'v2',
      { ...now, checksum: 'n3w' },
      'other-template',
    ],
    [
      'is used once its run ended and another began',
      bound,
      'v2',
      { ...now, startedAt: '2026-11-25T11:00:00Z' },
      'used',
    ],
    [
      'is used when the run began again for the same template (a rollback, then a retry)',
      bound,
      'v2',
      { checksum: 'ch3ck', startedAt: '2026-11-25T11:00:00Z' },
      'used',
    ],
    ['is used while nothing is analysed (promoted or rolled back)', bound, 'v2', undefined, 'used'],
    ['is unbound without a checksum', { ...bound, checksum: undefined }, 'v2', now, 'unbound'],
    [
      'is unbound without the run it was for',
      { ...bound, analysis: undefined },
      'v2',
      now,
      'unbound',
    ],
    [
      'is unbound when only the revision was written (by hand, or before the binding)',
      { revision: 'v2' },
      'v2',
      now,
      'unbound',
    ],
    ['is unbound with an empty checksum', { ...bound, checksum: '' }, 'v2', now, 'unbound'],
    [
      'is unbound without the template it was for',
      { ...bound, template: undefined },
      'v2',
      now,
      'unbound',
    ],
    [
      'is unbound once its approver was stripped from it',
      { ...bound, by: undefined },
      'v2',
      now,
      'unbound',
    ],
  ];
  test.each(rows)('an approval %s', (_promise, approval, revision, analysis, state) => {
    expect(approvalState(approval, { revision, template: 'sha256:t2', analysis })).toBe(state);
  });

  test('an approval names another template when the target holds another pod template than the one approved, though Flagger still reports the analysed one', () => {
    expect(
      approvalState(bound, { revision: 'v2', template: 'sha256:swapped', analysis: now }),
    ).toBe('other-template');
  });
});

describe('abortApplies', () => {
  const now: Analysis = { checksum: 'ch3ck', startedAt: STARTED };
  const EARLIER = '2026-11-24T08:00:00Z';
  type Row = [
    promise: string,
    abort: Parameters<typeof abortApplies>[0],
    revision: string | undefined,
    analysis: Analysis | undefined,
    applies: boolean,
  ];
  const rows: Row[] = [
    ['rolls back the run it was given for', { revision: 'v2', analysis: STARTED }, 'v2', now, true],
    [
      'does not reach a later run of the same revision (a re-deploy after the abort)',
      { revision: 'v2', analysis: EARLIER },
      'v2',
      now,
      false,
    ],
    [
      'does not apply to another revision, even in the run it names',
      { revision: 'v1', analysis: STARTED },
      'v2',
      now,
      false,
    ],
    [
      'does not apply while nothing is analysed, when it names a run',
      { revision: 'v2', analysis: STARTED },
      'v2',
      undefined,
      false,
    ],
    [
      'acts on the revision alone when written by hand without a run',
      { revision: 'v2' },
      'v2',
      now,
      true,
    ],
    [
      'acts on the revision alone without a run even while nothing is analysed',
      { revision: 'v2' },
      'v2',
      undefined,
      true,
    ],
    [
      'does not apply to a target without a revision',
      { revision: 'v2', analysis: STARTED },
      undefined,
      now,
      false,
    ],
    [
      'does not apply to another revision when written by hand',
      { revision: 'v1' },
      'v2',
      now,
      false,
    ],
  ];
  test.each(rows)('an abort %s', (_promise, abort, revision, analysis, applies) => {
    expect(abortApplies(abort, revision, analysis)).toBe(applies);
  });
});
