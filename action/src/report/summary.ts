// The job summary (@actions/core's `summary`). Optional, like docker/build-push-action's: a
// runner without a summary file (older than 2.298, or a local run) skips it, and a failure
// to write it never fails the step.
import * as core from '@actions/core';
import { shortRevision } from '../format.ts';
import type { CanaryReport, Result } from './result.ts';

type Summary = typeof core.summary;

const ICONS: Record<Result, string> = {
  succeeded: '✅',
  failed: '❌',
  'awaiting-approval': '⏸️',
  superseded: '⏭️',
  'timed-out': '⌛',
  applied: '📦',
  'rolled-back': '↩️',
  'in-progress': '🔄',
  unchanged: '➖',
};

/** Whether this runner gives the step a summary file (`GITHUB_STEP_SUMMARY`). */
export function summarySupported(): boolean {
  return Boolean(process.env.GITHUB_STEP_SUMMARY);
}

/** Adds to the job summary what `add` writes, when the runner supports one. */
export async function appendSummary(add: (summary: Summary) => Summary): Promise<void> {
  if (!summarySupported()) return;
  try {
    await add(core.summary).write();
  } catch (err) {
    core.summary.emptyBuffer();
    core.warning(`the job summary was not written: ${(err as Error).message}`);
  }
}

/** One row per canary; a column for the last probe run when a canary has probes. */
export function writeSummary(title: string, reports: CanaryReport[]): Promise<void> {
  const probed = reports.some((r) => r.probe !== undefined);
  const columns = ['Function', 'Revision', 'Image', 'Result', 'Weights', 'Reason'];
  const header = [...columns, ...(probed ? ['Last probe run'] : [])].map((data) => ({
    data,
    header: true,
  }));
  const rows = reports.map((r) =>
    [
      `${r.namespace}/${r.function}`,
      shortRevision(r.revision),
      r.image ?? '-',
      `${ICONS[r.result]} ${r.result}`,
      r.green === undefined ? '-' : `green ${r.green}% / blue ${r.blue}%`,
      r.reason,
      ...(probed ? [r.probe ?? '-'] : []),
    ].map(escapeHtml),
  );
  return appendSummary((summary) =>
    summary.addHeading(escapeHtml(title), 2).addTable([header, ...rows]),
  );
}

/** @actions/core puts cell text into HTML as it is; a reason may hold `<` or `&`. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}
