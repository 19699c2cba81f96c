import { APPROVAL_STATE_TEXT, rolloutParts, writerText, type RolloutView } from '@greenlight/core';

export { writerText } from '@greenlight/core';

/** One line per state of a rollout (core's wording): what `watch` prints on each change. */
export function rolloutLine(view: RolloutView, now = new Date()): string {
  const time = now.toISOString().slice(11, 19);
  const parts = rolloutParts(view, { revision: true });
  return `${[time, `${view.namespace}/${view.name}`, ...parts].join('  ')}\n`;
}

/** The last probe run of each side's revision, as probeRunText words it. */
export interface ProbeRows {
  green?: string;
  blue?: string;
}

/** The block `status` prints. */
export function rolloutSummary(view: RolloutView, probes: ProbeRows = {}): string {
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
    const note = state === 'applies' ? '' : `; ${APPROVAL_STATE_TEXT[state]}`;
    rows.push(['Approved', `${revision} by ${writerText(view.approval)}${note}`]);
  }
  if (view.abort) {
    const note = view.abort.matchesRevision ? '' : `; ${APPROVAL_STATE_TEXT['other-revision']}`;
    rows.push(['Abort requested', `${view.abort.revision} by ${writerText(view.abort)}${note}`]);
  }
  if (view.rollbackTo) {
    const { revision, images } = view.rollbackTo;
    const brings = Object.values(images).join(', ');
    rows.push([
      'Roll back to',
      `${revision} (greenlight rollback ${view.namespace}/${view.name}), bringing back ${brings}`,
    ]);
  }
  if (probes.green) rows.push(['Last probe (green)', probes.green]);
  if (probes.blue) rows.push(['Last probe (blue)', probes.blue]);
  rows.push(['Reason', view.reason]);
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `${label.padEnd(width)}  ${value}\n`).join('');
}
