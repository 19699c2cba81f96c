import { analysisOf } from '@greenlight/core';
import type { FoundRollout } from '../service/rollout-cache.ts';

// What a rollout is, and how one ends, for everything that follows rollouts from round to
// round (Slack's live messages, Backstage notifications). Flagger's status names no
// rollout: one is a revision's analysis run, known while Flagger analyses it (core's
// analysisOf); a follower keeps the rollouts it saw, and this says how each ended once
// the Canary shows another state.

/** A Canary in one cluster. */
export interface CanaryWhere {
  cluster: string;
  namespace: string;
  name: string;
}

/** One rollout: a Canary's analysis run of one revision. */
export interface RolloutKey extends CanaryWhere {
  revision: string;
  /** When the analysis began (core's Analysis.startedAt). */
  analysis: string;
}

/**
 * How a rollout ended: Flagger promoted it or rolled it back, another revision replaced
 * it, or Flagger began another analysis of the same revision.
 */
export type RolloutEnd = 'succeeded' | 'failed' | 'superseded' | 'restarted';

export function whereOf(found: FoundRollout): CanaryWhere {
  return { cluster: found.cluster.name, namespace: found.view.namespace, name: found.view.name };
}

/** The rollout Flagger analyses now, or undefined when it analyses none. */
export function rolloutKeyOf(found: FoundRollout): RolloutKey | undefined {
  const analysis = analysisOf(found.canary);
  if (!analysis || !found.view.revision) return undefined;
  return { ...whereOf(found), revision: found.view.revision, analysis: analysis.startedAt };
}

export const sameRollout = (a: RolloutKey, b: RolloutKey) =>
  a.revision === b.revision && a.analysis === b.analysis;

/** How `earlier`, a rollout of found's Canary, ended; undefined while it has not. */
export function endOf(earlier: RolloutKey, found: FoundRollout): RolloutEnd | undefined {
  const now = rolloutKeyOf(found);
  const { revision, verdict } = found.view;
  if (now && sameRollout(earlier, now)) return undefined;
  if (earlier.revision === revision && !now && (verdict === 'succeeded' || verdict === 'failed')) {
    return verdict;
  }
  if (earlier.revision !== revision && revision) return 'superseded';
  return now ? 'restarted' : undefined;
}
