import { formatProbeFailure, parseProbeFailure } from './failure-text.ts';
import type { ProbeFailure, ProbeRun } from './types.ts';

// Every probe run is an Event on the Canary (docs/design.md, "Chat probes"), written by the
// prober and read back by the action, the CLI and the portal — all through this file:
//   ProbePassed (Normal)  `<pre-rollout|rollout> probe of revision <rev>: <n> requests in <ms> ms`
//   ProbeFailed (Warning) `<pre-rollout|rollout> probe of revision <rev> failed: <detail>`
// where the detail is formatProbeFailure's line, or a sentence when the run could not start.

export const PROBE_EVENT_REASONS = { passed: 'ProbePassed', failed: 'ProbeFailed' } as const;

/** The prober's Events' `source.component`: a reader takes probe runs from this source only. */
export const PROBE_EVENT_COMPONENT = 'greenlight-probe';

/** The Flagger webhook that ran the probe. */
export type ProbeWebhook = 'pre-rollout' | 'rollout';

export interface ProbeEventText {
  type: 'Normal' | 'Warning';
  reason: (typeof PROBE_EVENT_REASONS)[keyof typeof PROBE_EVENT_REASONS];
  message: string;
}

/** A probe run as its Event tells it. */
export type ProbeEventRun = {
  webhook: ProbeWebhook;
  /** The target's greenlight.dev/revision when the prober ran. */
  revision: string;
} & (
  | { outcome: 'passed'; requests: number; durationMs: number }
  | {
      outcome: 'failed';
      /** The turn, the request and the reply; absent when the run could not start. */
      failure?: ProbeFailure;
      /** What follows `failed: `, as the prober wrote it. */
      detail: string;
    }
);

/** The Event of one run: `rollout probe of revision abc: 10 requests in 42 ms`, or its failure. */
export function probeRunEvent(
  webhook: ProbeWebhook,
  revision: string,
  run: ProbeRun,
): ProbeEventText {
  if (run.ok || !run.failure) {
    return {
      type: 'Normal',
      reason: PROBE_EVENT_REASONS.passed,
      message: `${subject(webhook, revision)}: ${run.requests} requests in ${Math.round(run.durationMs)} ms`,
    };
  }
  return probeProblemEvent(webhook, revision, formatProbeFailure(run.failure));
}

/** A failed run's Event with `why` as its detail (a run that could not start says why). */
export function probeProblemEvent(
  webhook: ProbeWebhook,
  revision: string,
  why: string,
): ProbeEventText {
  return {
    type: 'Warning',
    reason: PROBE_EVENT_REASONS.failed,
    message: `${subject(webhook, revision)} failed: ${why}`,
  };
}

function subject(webhook: ProbeWebhook, revision: string): string {
  return `${webhook} probe of revision ${revision}`;
}

const PASSED = /^(pre-rollout|rollout) probe of revision (\S+): (\d+) requests? in (\d+) ms$/;
const FAILED = /^(pre-rollout|rollout) probe of revision (\S+) failed: ([\s\S]*)$/;

/** The run an Event records, or undefined when it is not one of the prober's. Pure. */
export function parseProbeEvent(event: {
  reason?: string;
  message?: string;
}): ProbeEventRun | undefined {
  const message = event.message ?? '';
  if (event.reason === PROBE_EVENT_REASONS.passed) {
    const passed = PASSED.exec(message);
    if (!passed) return undefined;
    return {
      outcome: 'passed',
      webhook: passed[1] as ProbeWebhook,
      revision: passed[2] as string,
      requests: Number(passed[3]),
      durationMs: Number(passed[4]),
    };
  }
  if (event.reason === PROBE_EVENT_REASONS.failed) {
    const failed = FAILED.exec(message);
    if (!failed) return undefined;
    const detail = failed[3] as string;
    const failure = parseProbeFailure(detail);
    return {
      outcome: 'failed',
      webhook: failed[1] as ProbeWebhook,
      revision: failed[2] as string,
      ...(failure ? { failure } : {}),
      detail,
    };
  }
  return undefined;
}
