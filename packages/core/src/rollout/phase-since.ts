import type { Canary } from 'flagger-types';

/**
 * When the Canary entered its current phase. Not `status.lastTransitionTime`: Flagger
 * rewrites that at every status write, also while nothing changes — at each check of a
 * Failed canary `shouldAdvance` re-syncs the status (scheduler.go, "sync lastAppliedSpec
 * even if the canary is in a failed state"), so a rollback from hours ago reads as
 * seconds old. The `Promoted` condition is rewritten only when the phase (its reason) or
 * its status changes (pkg/canary/status.go MakeStatusConditions), so its `lastUpdateTime`
 * is the phase's start.
 */
export function phaseSince(canary: Canary): string | undefined {
  const promoted = canary.status?.conditions?.find((condition) => condition.type === 'Promoted');
  return promoted?.lastUpdateTime ?? canary.status?.lastTransitionTime;
}
