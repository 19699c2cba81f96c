// The words for one state of a rollout, one wording for every surface: the action's log and
// the CLI's `watch` print the same parts (each joins them in its own layout), and `status`
// and the action's summary name an approval and its writer the same way.
import type { ApprovalState } from '../approval/analysis.ts';
import type { GoldenSignals } from '../metrics/source.ts';
import type { MarkView, RolloutView } from './view.ts';

export interface LineOptions {
  /** The canary's golden signals, when a metrics source is configured (the action). */
  green?: GoldenSignals;
  /** Name the revision under analysis (`rev <short>`); the action's log is per revision already. */
  revision?: boolean;
}

/** The parts of one line for a state of a rollout; the same state always gives the same. */
export function rolloutParts(view: RolloutView, options: LineOptions = {}): string[] {
  const { green } = options;
  const parts = [view.phase, `green ${view.weights.green}% / blue ${view.weights.blue}%`];
  if (view.step.total > 0) parts.push(`step ${view.step.current}/${view.step.total}`);
  if (green?.successRate != null) parts.push(`success ${round(green.successRate)}%`);
  if (green?.p99Ms != null) parts.push(`p99 ${Math.round(green.p99Ms)}ms`);
  parts.push(`failed checks ${view.failedChecks}/${view.threshold}`);
  if (options.revision && view.revision) parts.push(`rev ${shortRevision(view.revision)}`);
  if (view.waitingForApproval) parts.push('awaiting approval');
  if (view.approval?.matchesRevision) parts.push(approvalText(view.approval));
  return parts;
}

/**
 * An approval of the revision under analysis as the gate sees it (approvalState): only one
 * that applies promotes; the others say why this analysis needs a new approval.
 */
export function approvalText(approval: MarkView): string {
  const who = writerText(approval);
  const state = approval.state ?? 'unbound';
  return state === 'applies'
    ? `approved by ${who}`
    : `approval by ${who} ${APPROVAL_STATE_TEXT[state]}`;
}

/**
 * How an approval relates to the analysis under way (approvalState): the gate promotes only
 * the pod template and the analysis run an approval names, and only once.
 */
export const APPROVAL_STATE_TEXT: Record<ApprovalState, string> = {
  applies: 'applies to the analysis under way',
  'other-revision': 'not the revision under analysis',
  used: 'used: promoted or rolled back an earlier analysis',
  'other-template': 'for another pod template: the Deployment changed since it was approved',
  unbound: 'unbound: it names no analysis, so it promotes nothing; approve again',
};

/**
 * "system:serviceaccount:ci:promoter (github:octocat https://github.com/…/runs/42)": the
 * identity the Kubernetes API authenticated for the writer first, then the note beside it —
 * a line or a summary row leads with who wrote it. Sentences (verdicts, Events) put the note
 * first instead: describeWriter.
 */
export function writerText(mark: Pick<MarkView, 'by' | 'note'> | undefined): string {
  const by = mark?.by ?? 'an unknown writer';
  return mark?.note ? `${by} (${mark.note})` : by;
}

/** A commit SHA as its 7-character short form; any other revision as it is; none as `-`. */
export function shortRevision(revision: string | undefined): string {
  if (!revision) return '-';
  return /^[0-9a-f]{40}$/.test(revision) ? revision.slice(0, 7) : revision;
}

function round(value: number): string {
  return (Math.round(value * 10) / 10).toString();
}
