import type { RolloutView } from '@greenlight/core';

/** One line per state of a rollout: what `watch` prints on each change. */
export function rolloutLine(view: RolloutView, now = new Date()): string {
  const time = now.toISOString().slice(11, 19);
  const parts = [
    time,
    `${view.namespace}/${view.name}`,
    view.phase,
    `green ${view.weights.green}% / blue ${view.weights.blue}%`,
  ];
  if (view.step.total > 0) parts.push(`step ${view.step.current}/${view.step.total}`);
  parts.push(`checks failed ${view.failedChecks}/${view.threshold}`);
  if (view.revision) parts.push(`rev ${short(view.revision)}`);
  if (view.waitingForApproval) parts.push('awaiting approval');
  return `${parts.join('  ')}\n`;
}

/** The block `status` prints. */
export function rolloutSummary(view: RolloutView): string {
  const rows: [string, string][] = [
    ['Canary', `${view.namespace}/${view.name}`],
    ['Phase', view.phase],
    ['Verdict', view.verdict],
    ['Strategy', `${view.strategy} (${view.provider})`],
    ['Green (candidate)', `${view.revision ?? 'unknown revision'}  ${view.weights.green}%`],
    ['Blue (primary)', `${view.promotedRevision ?? 'unknown revision'}  ${view.weights.blue}%`],
    ['Step', view.step.total > 0 ? `${view.step.current}/${view.step.total}` : '-'],
    ['Failed checks', `${view.failedChecks}/${view.threshold}`],
  ];
  if (view.approval) {
    const note = view.approval.matchesRevision ? '' : ' (not the revision under analysis)';
    rows.push(['Approved', `${view.approval.revision} by ${view.approval.by}${note}`]);
  }
  if (view.abort) rows.push(['Abort requested', `${view.abort.revision} by ${view.abort.by}`]);
  rows.push(['Reason', view.reason]);
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `${label.padEnd(width)}  ${value}\n`).join('');
}

function short(revision: string): string {
  return /^[0-9a-f]{40}$/.test(revision) ? revision.slice(0, 7) : revision;
}
