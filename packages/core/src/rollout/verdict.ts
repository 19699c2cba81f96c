import { describeWriter } from '../approval/mark.ts';
import type { MarkView, RolloutView, Verdict } from './view.ts';

/** What the verdict is judged from: the view's facts plus two the view does not keep. */
export interface VerdictFacts extends Pick<
  RolloutView,
  | 'namespace'
  | 'name'
  | 'phase'
  | 'revision'
  | 'promotedRevision'
  | 'weights'
  | 'step'
  | 'failedChecks'
  | 'threshold'
  | 'approval'
  | 'abort'
  | 'lastTransitionTime'
> {
  /** The revision the caller follows (e.g. the one the action just deployed). */
  following?: string;
  /** The message of the Canary's `Promoted` condition. */
  promotedMessage?: string;
  now?: Date;
}

export interface Judgement {
  verdict: Verdict;
  reason: string;
  waitingForApproval: boolean;
}

/**
 * Flagger's status names no revision (`lastAppliedSpec` is a Go hash), so the verdict
 * ties phases to revisions through the two Deployments: the target carries the revision
 * under analysis, the primary the promoted one (promotion copies the pod template).
 */
export function judge(facts: VerdictFacts): Judgement {
  const { phase, revision, promotedRevision, following } = facts;
  const id = `${facts.namespace}/${facts.name}`;
  const subject = revision ? `Revision ${revision} of ${id}` : `Canary ${id}`;
  const result = (verdict: Verdict, reason: string, waitingForApproval = false): Judgement => ({
    verdict,
    reason,
    waitingForApproval,
  });

  // Superseded: the target no longer carries the revision the caller follows. When the
  // target changes mid-analysis Flagger restarts it for the new revision ("New revision
  // detected! Restarting analysis", Progressing with weight 0 — scheduler.go
  // hasCanaryRevisionChanged), so everything in the status is about the newcomer. Without
  // `following` no revision can be superseded: the target always holds the newest one.
  if (following && revision && following !== revision) {
    if (promotedRevision === following) {
      return result(
        'succeeded',
        `Revision ${following} of ${id} was promoted; revision ${revision} has been deployed since.`,
      );
    }
    return result(
      'superseded',
      `Revision ${following} of ${id} was superseded by revision ${revision} before it was promoted.`,
    );
  }

  // A new revision Flagger has not picked up yet: at rest (Initialized/Succeeded) the target
  // and the primary carry the same revision, so a difference means a rollout is about to
  // start at Flagger's next check.
  const pending =
    revision !== undefined && promotedRevision !== undefined && revision !== promotedRevision;

  switch (phase) {
    case 'Unknown':
      return result(
        'idle',
        `Flagger has not reported on Canary ${id} yet; check that Flagger runs and watches namespace ${facts.namespace}.`,
      );
    case 'Initializing':
      return result(
        'in-progress',
        `Flagger is creating the primary of ${id} from its first revision.`,
      );
    case 'Initialized':
    case 'Succeeded':
      if (pending) {
        return result(
          'in-progress',
          `Revision ${revision} of ${id} is new; Flagger will start its analysis at its next check (revision ${promotedRevision} serves traffic).`,
        );
      }
      if (phase === 'Succeeded')
        return result('succeeded', `${subject} was promoted and serves all traffic.`);
      // A first deploy: Flagger copies the target to the primary without an analysis
      // (scheduler.go, "Initialization done!"), so for whoever shipped that revision it
      // arrived — the primary runs it — and nothing more will happen until the next one.
      if (following && following === promotedRevision) {
        return result(
          'succeeded',
          `${subject} is the first Flagger saw: it initialized the primary with it, without an analysis, and it serves all traffic.`,
        );
      }
      return result('idle', `${subject} serves all traffic; no rollout has run yet.`);
    case 'Waiting':
      return result(
        'in-progress',
        `${subject} waits for its confirm-rollout webhook before the analysis starts.`,
      );
    case 'Progressing':
      if (facts.abort?.matchesRevision) return rollbackRequested(facts.abort, subject, result);
      return result('in-progress', `${subject} is under analysis: ${progress(facts)}.`);
    case 'WaitingPromotion':
      return waitingPromotion(facts, subject, result);
    case 'Promoting':
    case 'Finalising':
      return result(
        'in-progress',
        `${subject} passed its analysis and is being promoted to primary.`,
      );
    case 'Failed': {
      if (facts.abort?.matchesRevision) {
        return result(
          'failed',
          `${subject} was rolled back at the request of ${describeWriter(facts.abort)}.`,
        );
      }
      const why = facts.promotedMessage?.trim().replace(/\.$/, '') || 'Canary analysis failed';
      return result('failed', `${subject} was rolled back: ${lowerFirst(why)}.`);
    }
    case 'Terminating':
      return result(
        'idle',
        `Canary ${id} is being deleted; Flagger is handing the Deployment back.`,
      );
    case 'Terminated':
      return result('idle', `Canary ${id} was deleted; Flagger no longer manages it.`);
  }
  return result(
    'idle',
    `Canary ${id} is in phase ${String(phase)}, which Greenlight does not know.`,
  );
}

function waitingPromotion(
  facts: VerdictFacts,
  subject: string,
  result: (verdict: Verdict, reason: string, waiting?: boolean) => Judgement,
): Judgement {
  const { revision, approval, abort } = facts;
  if (abort?.matchesRevision) return rollbackRequested(abort, subject, result);
  if (approval?.state === 'applies') {
    return result(
      'in-progress',
      `${subject} was approved by ${describeWriter(approval)}; Flagger promotes it at its next check.`,
    );
  }
  const waited = waitedFor(facts.lastTransitionTime, facts.now);
  const held = `${subject} passed its analysis, holds ${facts.weights.green}% of traffic${waited}`;
  if (!revision) {
    return result(
      'in-progress',
      `${held} and cannot be approved because its Deployment has no greenlight.dev/revision annotation.`,
      true,
    );
  }
  const other = approval ? ` (${approvalNote(approval)})` : '';
  return result(
    'in-progress',
    `${held} and waits for an approver to approve revision ${revision}${other}.`,
    true,
  );
}

function rollbackRequested(
  abort: MarkView,
  subject: string,
  result: (verdict: Verdict, reason: string) => Judgement,
): Judgement {
  return result(
    'in-progress',
    `${subject} is being rolled back at the request of ${describeWriter(abort)}.`,
  );
}

function progress({ step, weights, failedChecks, threshold }: VerdictFacts): string {
  const where = weights.source === 'none' ? '' : `, ${weights.green}% of traffic`;
  return `step ${step.current} of ${step.total}${where}, ${failedChecks} of ${threshold} failed checks`;
}

function waitedFor(since?: string, now?: Date): string {
  if (!since || !now) return '';
  const minutes = Math.floor((now.getTime() - Date.parse(since)) / 60_000);
  if (!Number.isFinite(minutes) || minutes < 1) return '';
  if (minutes < 120) return ` for ${minutes} minute${minutes === 1 ? '' : 's'}`;
  return ` for ${Math.floor(minutes / 60)} hours`;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** Why the approval on the Canary does not promote the analysis under way. */
function approvalNote(approval: MarkView): string {
  switch (approval.state) {
    case 'used':
      return `the approval of revision ${approval.revision} was used by an earlier analysis`;
    case 'other-template':
      return `the approval of revision ${approval.revision} was for another pod template: the Deployment changed since`;
    case 'unbound':
      return `the approval of revision ${approval.revision} names no analysis; approve again`;
    default:
      return `the approval on the Canary is for revision ${approval.revision}`;
  }
}
