// How the step ends: annotations for what a person must see, and the exit code.
import * as core from '@actions/core';
import type { CanaryReport, Result } from './result.ts';

export function conclude(result: Result, reports: CanaryReport[], failOnSuperseded: boolean): void {
  for (const report of reports) {
    const title = `Canary ${report.namespace}/${report.function}`;
    if (report.result === 'failed' || report.result === 'timed-out')
      core.error(report.reason, { title });
    if (report.result === 'superseded') core.notice(report.reason, { title });
  }
  if (result === 'failed') process.exitCode = 1;
  if (result === 'timed-out') process.exitCode = 1;
  if (result === 'superseded' && failOnSuperseded) process.exitCode = 1;
}
