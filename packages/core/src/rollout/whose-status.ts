// "Is this status ours?" — whether what a Canary's status says is about the rollout a caller
// started, and which end of a follow it means. Pure: the follow keeps the one bit of memory
// (`noticed`, `seenActive`) and passes it back in.
//
// Why it is not simply "the status now": Flagger notices a new pod template at its next
// check, up to one analysis interval after the deploy, and until then its status still
// speaks of the previous revision — a WaitingPromotion, a Succeeded or a Failed from before
// is not ours. The rules below each come from a case met on the real Flagger (e2e):
// - Flagger changes `status.lastAppliedSpec` when it picks the new template up
//   (scheduler.go hasCanaryRevisionChanged / SyncStatus): until it differs from the spec
//   before the deploy, nothing in the status is ours (`noticed`).
// - Phases are dated by when the Canary entered them (core's phaseSince, the Promoted
//   condition), not `status.lastTransitionTime`, which Flagger rewrites at every check of a
//   Failed canary; Flagger writes whole seconds, so "after the start" compares whole seconds.
// - At each check of a failed canary Flagger re-syncs lastAppliedSpec to the new template
//   while the phase still reads Failed (scheduler.go shouldAdvance), and that rollback may
//   have come in the deploy's own second: so the Failed the Canary showed before the deploy
//   (`previousFailure`, when it entered Failed) is never ours, however fresh it looks.
// - A first deploy is succeeded once Flagger initialized the primary with it; a follow that
//   started nothing (the deploy changed nothing) takes the status as it is.
import type { Canary } from 'flagger-types';
import { phaseSince } from './phase-since.ts';
import type { RolloutView } from './view.ts';

/** What the caller knew of the Canary when it started a rollout (changed the target). */
export interface RolloutStart {
  /** When the rollout was started: the moment just before the target was changed. */
  since: Date;
  /** The Canary's `status.lastAppliedSpec` just before: until it changes, not ours. */
  previousSpec?: string;
  /** When the Canary entered Failed, if it was Failed just before: that rollback is not ours. */
  previousFailure?: string;
}

/** The start of a rollout from the Canary as it was just before the target was changed. */
export function rolloutStart(before: Canary | undefined, since: Date): RolloutStart {
  const previousSpec = before?.status?.lastAppliedSpec;
  const previousFailure =
    before && before.status?.phase === 'Failed' ? phaseSince(before) : undefined;
  return {
    since,
    ...(previousSpec ? { previousSpec } : {}),
    ...(previousFailure ? { previousFailure } : {}),
  };
}

/**
 * Whom the status speaks of: `ours`, the rollout the caller started (Flagger picked its
 * template up and entered its phase in a later second than the start: the primary then
 * runs what is analysed, no read of it needed); `earlier`, the template before it (Flagger
 * has not picked ours up: no verdict is drawn from it); `unknown`, when the caller started
 * nothing, or it cannot be told (no spec before the deploy, or the same second).
 */
export type Whose = 'ours' | 'earlier' | 'unknown';

export interface StatusReading {
  /** Flagger has picked the started rollout's template up (sticky: pass it back in). */
  noticed: boolean;
  whose: Whose;
  /** The Canary entered its phase at or after the start's second (always, if none). */
  fresh: boolean;
  /** The phase began when the Failed the Canary showed before the start began. */
  previousFailure: boolean;
}

export function readStatus(
  canary: Canary,
  start: RolloutStart | undefined,
  noticedBefore: boolean,
): StatusReading {
  const enteredAt = phaseSince(canary);
  const previousSpec = start?.previousSpec;
  const noticed = noticedBefore || !previousSpec || canary.status?.lastAppliedSpec !== previousSpec;
  const whose: Whose = !start
    ? 'unknown'
    : !noticed
      ? 'earlier'
      : previousSpec && startedAfter(enteredAt, start.since)
        ? 'ours'
        : 'unknown';
  return {
    noticed,
    whose,
    fresh: isFresh(enteredAt, start?.since),
    // Also true for an undated phase when no failure was recorded: a Failed whose start
    // cannot be told is not taken for a verdict unless the follow saw the analysis.
    previousFailure: enteredAt === start?.previousFailure,
  };
}

/** Which lastAppliedSpec the revision the caller wrote goes with: the one before its start. */
export function startSpecOf(
  start: RolloutStart | undefined,
): { spec: string | undefined } | undefined {
  return start ? { spec: start.previousSpec } : undefined;
}

export type StatusOutcome = 'succeeded' | 'failed' | 'awaiting-approval' | 'superseded';

/**
 * Where a follow ends given the view and the reading, or undefined to keep following.
 * `seenActive`: the follow saw this rollout analysing (then a Failed is ours whatever its time).
 */
export function outcomeOf(
  view: RolloutView,
  reading: StatusReading,
  follow: { seenActive: boolean; until: 'awaiting-approval' | 'done' },
): StatusOutcome | undefined {
  switch (view.verdict) {
    case 'superseded':
      return 'superseded';
    case 'succeeded':
      // A Succeeded from before Flagger picked our pod template up is the previous revision's.
      return reading.noticed && reading.fresh ? 'succeeded' : undefined;
    case 'failed':
      // Not the rollback the Canary already showed when we deployed (previousFailure).
      return follow.seenActive || (!reading.previousFailure && reading.fresh)
        ? 'failed'
        : undefined;
    case 'in-progress':
      // A WaitingPromotion from before Flagger picked our pod template up is the previous
      // revision's: ours has not been analysed yet, so it has not passed anything.
      return follow.until === 'awaiting-approval' &&
        view.waitingForApproval &&
        reading.noticed &&
        reading.fresh
        ? 'awaiting-approval'
        : undefined;
    case 'idle':
      return undefined;
  }
}

/** Whether the Canary entered its phase after `since` (whole seconds, as Flagger writes). */
function isFresh(enteredAt: string | undefined, since: Date | undefined): boolean {
  if (!since) return true;
  const at = enteredAt ? Date.parse(enteredAt) : NaN;
  return at >= Math.floor(since.getTime() / 1000) * 1000;
}

/** Whether `enteredAt` falls in a whole second after the one `since` falls in. */
function startedAfter(enteredAt: string | undefined, since: Date): boolean {
  const at = enteredAt ? Date.parse(enteredAt) : NaN;
  return at >= (Math.floor(since.getTime() / 1000) + 1) * 1000;
}
