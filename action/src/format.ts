import type { GoldenSignals, MarkView, RolloutView } from '@greenlight/core';

/** The log line for one state of a rollout; the same state always gives the same line. */
export function rolloutLine(view: RolloutView, green?: GoldenSignals): string {
  const parts = [view.phase, `green ${view.weights.green}% / blue ${view.weights.blue}%`];
  if (view.step.total > 0) parts.push(`step ${view.step.current}/${view.step.total}`);
  if (green?.successRate != null) parts.push(`success ${round(green.successRate)}%`);
  if (green?.p99Ms != null) parts.push(`p99 ${Math.round(green.p99Ms)}ms`);
  parts.push(`failed checks ${view.failedChecks}/${view.threshold}`);
  if (view.waitingForApproval) parts.push('awaiting approval');
  const approval = view.approval;
  if (approval?.matchesRevision) parts.push(approvalText(approval));
  return parts.join(' · ');
}

/**
 * The approval of the revision under analysis as the gate sees it (core's approvalState):
 * only one that applies promotes; the others name why this analysis needs a new approval.
 */
export function approvalText(approval: MarkView): string {
  const who = writerText(approval);
  switch (approval.state) {
    case 'applies':
      return `approved by ${who}`;
    case 'used':
      return `approval by ${who} used: promoted or rolled back an earlier analysis`;
    case 'other-template':
      return `approval by ${who} for another pod template: the Deployment changed since it was approved`;
    default:
      return `approval by ${who} unbound: it names no analysis; approve again`;
  }
}

/**
 * "system:serviceaccount:ci:promoter (github:octocat https://github.com/…/runs/42)": the
 * identity the Kubernetes API authenticated for the writer, then the note beside it.
 */
export function writerText(mark: { by?: string; note?: string } | undefined): string {
  const by = mark?.by ?? 'an unknown writer';
  return mark?.note ? `${by} (${mark.note})` : by;
}

export function shortRevision(revision: string | undefined): string {
  if (!revision) return '-';
  return /^[0-9a-f]{40}$/.test(revision) ? revision.slice(0, 7) : revision;
}

function round(value: number): string {
  return (Math.round(value * 10) / 10).toString();
}
