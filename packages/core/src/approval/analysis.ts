import type { Canary, CanaryPhase } from 'flagger-types';
import { canaryChecksum } from './checksum.ts';

// What "the analysis under way" is, from the Canary alone (docs/design.md, "The approval
// protocol"). Flagger's webhook checksum names the pod template and tracked configs under
// analysis; the `Promoted` condition's lastTransitionTime names the run: Flagger's
// MakeStatusConditions (pkg/canary/status.go) keeps the condition Unknown from Progressing
// to Finalising and moves its transition time only when its status changes, so the time
// is set when an analysis begins and changes again when it ends (Succeeded: True,
// Failed: False). An approval records both, and promotes that one run of that one template.

/** Phases in which Flagger is analysing a revision that a person may approve or abort. */
const ANALYSING: readonly CanaryPhase[] = [
  'Waiting',
  'Progressing',
  'WaitingPromotion',
  'Promoting',
  'Finalising',
];

export interface Analysis {
  /** Flagger's webhook checksum for this analysis (canaryChecksum). */
  checksum: string;
  /** When this run began: the `Promoted` condition's lastTransitionTime. */
  startedAt: string;
}

/** The analysis Flagger is running on `canary`, or undefined when it runs none. */
export function analysisOf(canary: Canary | undefined): Analysis | undefined {
  const status = canary?.status;
  if (!status?.phase || !ANALYSING.includes(status.phase)) return undefined;
  const promoted = status.conditions?.find((condition) => condition.type === 'Promoted');
  if (promoted?.status !== 'Unknown' || !promoted.lastTransitionTime) return undefined;
  return { checksum: canaryChecksum(status), startedAt: promoted.lastTransitionTime };
}

/**
 * How an approval on the Canary relates to what Flagger analyses now:
 * - `applies`: it names this revision, this template and this run — the gate says yes;
 * - `other-revision`: it names another revision;
 * - `other-template`: same revision, another pod template (or tracked config): the
 *   Deployment changed under the same revision annotation, which needs a new approval;
 * - `used`: it was for an earlier run, since promoted or rolled back: an approval promotes once;
 * - `unbound`: it names no analysis (written by hand or by a Greenlight before the binding).
 */
export type ApprovalState = 'applies' | 'other-revision' | 'other-template' | 'used' | 'unbound';

export interface BoundMark {
  revision: string;
  checksum?: string;
  analysis?: string;
}

export function approvalState(
  approval: BoundMark,
  revision: string | undefined,
  analysis: Analysis | undefined,
): ApprovalState {
  if (revision === undefined || approval.revision !== revision) return 'other-revision';
  if (!approval.checksum || !approval.analysis) return 'unbound';
  if (!analysis || approval.analysis !== analysis.startedAt) return 'used';
  if (approval.checksum !== analysis.checksum) return 'other-template';
  return 'applies';
}
