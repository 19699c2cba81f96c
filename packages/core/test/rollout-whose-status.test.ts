// "Is this status ours?": each row is a case a follow met on the real Flagger (whose-status.ts).
import type { Canary } from 'flagger-types';
import { outcomeOf, readStatus, rolloutStart } from '../src/rollout/whose-status.ts';
import type { RolloutStart, StatusReading } from '../src/rollout/whose-status.ts';
import type { RolloutView } from '../src/rollout/view.ts';

const START = new Date('2026-01-01T10:00:00.400Z');

function canary(phase: string, spec: string | undefined, enteredAt: string | undefined): Canary {
  return {
    apiVersion: 'flagger.app/v1beta1',
    kind: 'Canary',
    metadata: { name: 'bot', namespace: 'fn' },
    spec: { targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'bot' } },
    status: {
      phase,
      ...(spec ? { lastAppliedSpec: spec } : {}),
      conditions: enteredAt
        ? [{ type: 'Promoted', status: 'Unknown', reason: phase, lastUpdateTime: enteredAt }]
        : [],
    },
  } as unknown as Canary;
}

const started: RolloutStart = { since: START, previousSpec: 'old' };

test.each<[string, Canary, RolloutStart | undefined, boolean, Partial<StatusReading>]>([
  [
    'nothing started: the status is current',
    canary('Succeeded', 'old', '2026-01-01T09:00:00Z'),
    undefined,
    false,
    { noticed: true, whose: 'unknown', fresh: true },
  ],
  [
    'Flagger still shows the template from before the deploy: earlier, not fresh',
    canary('WaitingPromotion', 'old', '2026-01-01T09:00:00Z'),
    started,
    false,
    { noticed: false, whose: 'earlier', fresh: false },
  ],
  [
    'the template was picked up and the phase began a second after the start: ours',
    canary('Succeeded', 'new', '2026-01-01T10:00:01Z'),
    started,
    false,
    { noticed: true, whose: 'ours', fresh: true },
  ],
  [
    'picked up, but the phase began in the start’s own second: fresh, yet not known to be ours',
    canary('Succeeded', 'new', '2026-01-01T10:00:00Z'),
    started,
    false,
    { noticed: true, whose: 'unknown', fresh: true },
  ],
  [
    'a first Canary (no spec before): noticed at once, never “ours” without a spec to compare',
    canary('Initialized', 'new', '2026-01-01T10:00:05Z'),
    { since: START },
    false,
    { noticed: true, whose: 'unknown', fresh: true },
  ],
  [
    'once noticed, a status back on the old spec is still noticed',
    canary('Progressing', 'old', '2026-01-01T10:00:05Z'),
    started,
    true,
    { noticed: true, whose: 'ours' },
  ],
  [
    'the Failed the Canary showed before the deploy, re-synced to the new spec by Flagger',
    canary('Failed', 'new', '2026-01-01T10:00:00Z'),
    { ...started, previousFailure: '2026-01-01T10:00:00Z' },
    false,
    { noticed: true, previousFailure: true, fresh: true },
  ],
  [
    'a Failed that began after the one before the deploy',
    canary('Failed', 'new', '2026-01-01T10:00:07Z'),
    { ...started, previousFailure: '2026-01-01T10:00:00Z' },
    false,
    { previousFailure: false, fresh: true },
  ],
])('%s', (_, seen, start, noticedBefore, expected) => {
  expect(readStatus(seen, start, noticedBefore)).toMatchObject(expected);
});

const view = (verdict: RolloutView['verdict'], waitingForApproval = false) =>
  ({ verdict, waitingForApproval }) as RolloutView;
const reading = (over: Partial<StatusReading>): StatusReading => ({
  noticed: true,
  whose: 'ours',
  fresh: true,
  previousFailure: false,
  ...over,
});

test.each<
  [string, RolloutView, StatusReading, boolean, 'done' | 'awaiting-approval', string | undefined]
>([
  [
    'superseded ends the follow whatever the status',
    view('superseded'),
    reading({ noticed: false }),
    false,
    'done',
    'superseded',
  ],
  ['a fresh Succeeded of our template', view('succeeded'), reading({}), false, 'done', 'succeeded'],
  [
    'a Succeeded from before Flagger picked our template up',
    view('succeeded'),
    reading({ noticed: false }),
    false,
    'done',
    undefined,
  ],
  [
    'a Succeeded older than the start',
    view('succeeded'),
    reading({ fresh: false }),
    false,
    'done',
    undefined,
  ],
  ['a fresh Failed', view('failed'), reading({}), false, 'done', 'failed'],
  [
    'the rollback shown before the deploy',
    view('failed'),
    reading({ previousFailure: true }),
    false,
    'done',
    undefined,
  ],
  [
    'a Failed older than the start',
    view('failed'),
    reading({ fresh: false }),
    false,
    'done',
    undefined,
  ],
  [
    'a Failed after the follow saw the analysis, whatever its time',
    view('failed'),
    reading({ previousFailure: true, fresh: false }),
    true,
    'done',
    'failed',
  ],
  [
    'waiting for approval, followed until then',
    view('in-progress', true),
    reading({}),
    false,
    'awaiting-approval',
    'awaiting-approval',
  ],
  [
    'waiting for approval, followed until done',
    view('in-progress', true),
    reading({}),
    false,
    'done',
    undefined,
  ],
  [
    'a WaitingPromotion of the previous template',
    view('in-progress', true),
    reading({ noticed: false }),
    false,
    'awaiting-approval',
    undefined,
  ],
  [
    'a WaitingPromotion older than the start',
    view('in-progress', true),
    reading({ fresh: false }),
    false,
    'awaiting-approval',
    undefined,
  ],
  ['idle keeps following', view('idle'), reading({}), true, 'done', undefined],
])('%s → %s', (_, seen, read, seenActive, until, expected) => {
  expect(outcomeOf(seen, read, { seenActive, until })).toBe(expected);
});

test('the start records the spec and the failure the Canary showed just before the deploy', () => {
  expect(rolloutStart(canary('Failed', 'old', '2026-01-01T09:00:00Z'), START)).toEqual({
    since: START,
    previousSpec: 'old',
    previousFailure: '2026-01-01T09:00:00Z',
  });
  expect(rolloutStart(canary('Succeeded', 'old', '2026-01-01T09:00:00Z'), START)).toEqual({
    since: START,
    previousSpec: 'old',
  });
  expect(rolloutStart(undefined, START)).toEqual({ since: START });
});
