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
 * - `other-template`: same revision, another pod template (or tracked config) than the one
 *   Flagger analyses or the target now holds: the Deployment changed under the same
 *   revision annotation, which needs a new approval;
 * - `used`: it was for an earlier run, since promoted or rolled back: an approval promotes once;
 * - `unbound`: it names no analysis, template or approver (written by hand, edited, or by a
 *   Greenlight before the binding).
 */
export type ApprovalState = 'applies' | 'other-revision' | 'other-template' | 'used' | 'unbound';

export interface BoundMark {
  revision: string;
  checksum?: string;
  analysis?: string;
  template?: string;
  by?: string;
}

/** What an approval is judged against: the target's revision and template, Flagger's analysis. */
export interface Subject {
  revision: string | undefined;
  /** templateHash of the target Deployment as read (cached, or live before a 200). */
  template: string | undefined;
  analysis: Analysis | undefined;
}

export function approvalState(approval: BoundMark, subject: Subject): ApprovalState {
  const { revision, template, analysis } = subject;
  if (revision === undefined || approval.revision !== revision) return 'other-revision';
  if (!approval.checksum || !approval.analysis || !approval.template || !approval.by) {
    return 'unbound';
  }
  if (!analysis || approval.analysis !== analysis.startedAt) return 'used';
  if (approval.checksum !== analysis.checksum || approval.template !== template) {
    return 'other-template';
  }
  return 'applies';
}

/**
 * Whether an abort rolls back the run under way: it names this revision and, when it
 * records a run (every abort Greenlight writes does), this run — so an abort never reaches
 * a later rollout of the same revision. One without a run (written by hand) acts on the
 * revision alone: rolling back is the safe way to be wrong.
 */
export function abortApplies(
  abort: { revision: string; analysis?: string },
  revision: string | undefined,
  analysis: Analysis | undefined,
): boolean {
  if (revision === undefined || abort.revision !== revision) return false;
  return abort.analysis === undefined || abort.analysis === analysis?.startedAt;
}
