import type { ApprovalState, MarkView, RolloutView } from '@greenlight/core';

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
  const approval = view.approval;
  if (approval?.matchesRevision) {
    parts.push(
      approval.state === 'applies'
        ? `approved by ${writerText(approval)}`
        : `approval ${STATE_TEXT[approval.state ?? 'unbound']}`,
    );
  }
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
    const { state = 'unbound', revision } = view.approval;
    const note = state === 'applies' ? '' : `; ${STATE_TEXT[state]}`;
    rows.push(['Approved', `${revision} by ${writerText(view.approval)}${note}`]);
  }
  if (view.abort) {
    const note = view.abort.matchesRevision ? '' : `; ${STATE_TEXT['other-revision']}`;
    rows.push(['Abort requested', `${view.abort.revision} by ${writerText(view.abort)}${note}`]);
  }
  rows.push(['Reason', view.reason]);
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `${label.padEnd(width)}  ${value}\n`).join('');
}

/**
 * Why an approval of the revision under analysis does not promote it (core's approvalState):
 * the gate promotes only the pod template and the analysis run an approval names, once.
 */
const STATE_TEXT: Record<ApprovalState, string> = {
  applies: 'applies to the analysis under way',
  'other-revision': 'not the revision under analysis',
  used: 'used: promoted or rolled back an earlier analysis',
  'other-template': 'for another pod template: the Deployment changed since it was approved',
  unbound: 'unbound: it names no analysis, so it promotes nothing; approve again',
};

/**
 * "sandbox-admin (ci-bot)": the identity the API server authenticated for the writer, then
 * the note they gave beside it.
 */
export function writerText({ by, note }: Pick<MarkView, 'by' | 'note'>): string {
  const who = by ?? 'an unknown writer';
  return note ? `${who} (${note})` : who;
}

function short(revision: string): string {
  return /^[0-9a-f]{40}$/.test(revision) ? revision.slice(0, 7) : revision;
}
