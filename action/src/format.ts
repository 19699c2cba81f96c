import type { GoldenSignals, RolloutView } from '@greenlight/core';

/** The log line for one state of a rollout; the same state always gives the same line. */
export function rolloutLine(view: RolloutView, green?: GoldenSignals): string {
  const parts = [view.phase, `green ${view.weights.green}% / blue ${view.weights.blue}%`];
  if (view.step.total > 0) parts.push(`step ${view.step.current}/${view.step.total}`);
  if (green?.successRate != null) parts.push(`success ${round(green.successRate)}%`);
  if (green?.p99Ms != null) parts.push(`p99 ${Math.round(green.p99Ms)}ms`);
  parts.push(`failed checks ${view.failedChecks}/${view.threshold}`);
  if (view.waitingForApproval) parts.push('awaiting approval');
  return parts.join(' · ');
}

export function shortRevision(revision: string | undefined): string {
  if (!revision) return '-';
  return /^[0-9a-f]{40}$/.test(revision) ? revision.slice(0, 7) : revision;
}

function round(value: number): string {
  return (Math.round(value * 10) / 10).toString();
}
