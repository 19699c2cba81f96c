// What happened to each canary, and what that makes the run.
import type { FollowResult } from '../follow/follow.ts';

export type Result =
  | 'succeeded'
  | 'failed'
  | 'awaiting-approval'
  | 'superseded'
  | 'timed-out'
  | 'applied'
  | 'rolled-back'
  | 'in-progress'
  | 'unchanged';

export interface CanaryReport {
  function: string;
  namespace: string;
  revision?: string;
  image?: string;
  result: Result;
  phase?: string;
  green?: number;
  blue?: number;
  reason: string;
  /** The revision's last chat probe run, as the prober recorded it. */
  probe?: string;
}

export function reportOf(
  followed: FollowResult,
  namespace: string,
  extra: { revision?: string; image?: string; aborting?: boolean },
): CanaryReport {
  const view = followed.view;
  const result: Result =
    followed.outcome === 'deleted'
      ? 'failed'
      : followed.outcome === 'failed' && extra.aborting
        ? 'rolled-back'
        : followed.outcome;
  return {
    function: followed.name,
    namespace,
    ...((extra.revision ?? view?.revision) ? { revision: extra.revision ?? view?.revision } : {}),
    ...(extra.image ? { image: extra.image } : {}),
    result,
    ...(view ? { phase: view.phase, green: view.weights.green, blue: view.weights.blue } : {}),
    reason: followed.reason,
    ...(followed.probe ? { probe: followed.probe.message } : {}),
  };
}

// Worst first: one failure fails the run; a run still waiting says so before a superseded one.
const PRECEDENCE: Result[] = [
  'failed',
  'timed-out',
  'in-progress',
  'awaiting-approval',
  'superseded',
  'applied',
  'rolled-back',
  'succeeded',
  'unchanged',
];

export function overallResult(reports: CanaryReport[]): Result {
  for (const result of PRECEDENCE) if (reports.some((r) => r.result === result)) return result;
  return 'unchanged';
}
