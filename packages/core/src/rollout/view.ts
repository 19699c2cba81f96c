import type { CanaryPhase } from 'flagger-types';
import type { ApprovalState } from '../approval/analysis.ts';
import type { StepProgress, Strategy } from './steps.ts';
import type { Weights } from './weights.ts';

/** An approval or abort on the Canary, as the view shows it. */
export interface MarkView {
  revision: string;
  /** Flagger's checksum of the analysis it was given for. */
  checksum?: string;
  /** When that analysis began. */
  analysis?: string;
  /** Greenlight's hash of the pod template approved (approvals). */
  template?: string;
  /** Who, as the Kubernetes API authenticated the writer. */
  by?: string;
  /** For whom or why, in the writer's words (a GitHub actor, a Backstage user). */
  note?: string;
  at?: string;
  /** Whether it names the revision under analysis (aborts act on that alone). */
  matchesRevision: boolean;
  /**
   * Approvals only: how it relates to the analysis under way; the gate promotes only on
   * `applies`, and `used` means it already promoted (or saw rolled back) its analysis.
   */
  state?: ApprovalState;
}

/**
 * What a rollout means to a person: one object for the action's log, the Backstage card
 * and the CLI, whatever Flagger's routing provider.
 */
export type Verdict =
  /** Flagger is working on the revision under analysis (incl. waiting for approval). */
  | 'in-progress'
  /** The revision under analysis is the one promoted to primary. */
  | 'succeeded'
  /** Flagger rolled the revision back. */
  | 'failed'
  /** The revision the caller follows was replaced by a newer one before its promotion. */
  | 'superseded'
  /** Nothing to roll out: initialised, being deleted, or not yet seen by Flagger. */
  | 'idle';

export interface RolloutView {
  namespace: string;
  name: string;
  phase: CanaryPhase | 'Unknown';
  /** `spec.provider`; `default` when unset (Flagger's -mesh-provider flag decides). */
  provider: string;
  strategy: Strategy;
  /** The revision under analysis: the target Deployment's pod template annotation. */
  revision?: string;
  /** The revision serving as blue: the `-primary` Deployment's pod template annotation. */
  promotedRevision?: string;
  /**
   * The revision a rollback would bring back: the newest one recorded as promoted that the
   * primary does not run (docs/design.md, "Rollback after promotion"), when it was seen, and
   * the images its record names (container → image): what a rollback brings back, shown before
   * anyone asks for it, since the record is the deploy credential's to write.
   */
  rollbackTo?: { revision: string; at: string; images: Record<string, string> };
  weights: Weights;
  step: StepProgress;
  failedChecks: number;
  /** Failed checks that roll back (`analysis.threshold`, Flagger's default 1). */
  threshold: number;
  /** Held in WaitingPromotion and no approval or abort for this revision yet. */
  waitingForApproval: boolean;
  approval?: MarkView;
  abort?: MarkView;
  verdict: Verdict;
  /** One human sentence. */
  reason: string;
  lastTransitionTime?: string;
}
