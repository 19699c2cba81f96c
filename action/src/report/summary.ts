// The job summary: one row per canary. Optional, like docker/build-push-action's: a runner
// without a summary file skips it, and a failure to write it never fails the step.
import * as core from '../toolkit/core.ts';
import { Summary } from '../toolkit/summary.ts';
import { shortRevision } from '../format.ts';
import type { CanaryReport, Result } from './result.ts';

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

export function writeSummary(title: string, reports: CanaryReport[]): void {
  const summary = new Summary();
  if (!summary.available()) return;
  try {
    const header = ['Function', 'Revision', 'Image', 'Result', 'Weights', 'Reason'].map((data) => ({
      data,
      header: true,
    }));
    const rows = reports.map((r) => [
      `${r.namespace}/${r.function}`,
      shortRevision(r.revision),
      r.image ?? '-',
      `${ICONS[r.result]} ${r.result}`,
      r.green === undefined ? '-' : `green ${r.green}% / blue ${r.blue}%`,
      r.reason,
    ]);
    summary
      .addHeading(title, 2)
      .addTable([header, ...rows])
      .write();
  } catch (err) {
    core.warning(`the job summary was not written: ${(err as Error).message}`);
  }
}
