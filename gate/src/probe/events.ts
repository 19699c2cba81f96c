import type { KubernetesObject } from '@kubernetes/client-node';
import { formatProbeFailure, type ProbeRun } from '@greenlight/core';
import type { EventSink } from '../recorder.ts';

// Every probe run is an Event on the Canary (issue 15's contract), read back by the portal
// (backstage-plugin/common/src/probe-events.ts) as the revision's last probe run. Unlike the
// gate's decisions nothing is folded: a run is news, and Flagger calls once per interval.

export type ProbePhase = 'pre-rollout' | 'rollout';

export const PROBE_PASSED = 'ProbePassed';
export const PROBE_FAILED = 'ProbeFailed';

/** Writes the Events off the response path; flush() waits for them (shutdown, tests). */
export class ProbeRecorder {
  private readonly pending = new Set<Promise<void>>();
  private readonly sink: EventSink;
  private readonly onError: (error: unknown) => void;

  constructor(sink: EventSink, options: { onError?: (error: unknown) => void } = {}) {
    this.sink = sink;
    this.onError = options.onError ?? (() => {});
  }

  record(canary: KubernetesObject, phase: ProbePhase, revision: string, run: ProbeRun): void {
    this.write(canary, probeEvent(phase, revision, run));
  }

  /** A run that could not start (a Secret it may not read): a failure with that sentence. */
  recordProblem(canary: KubernetesObject, phase: ProbePhase, revision: string, why: string) {
    this.write(canary, {
      type: 'Warning',
      reason: PROBE_FAILED,
      message: `${phase} probe of revision ${revision} failed: ${why}`,
    });
  }

  async flush(): Promise<void> {
    await Promise.all([...this.pending]);
  }

  private write(canary: KubernetesObject, event: ReturnType<typeof probeEvent>) {
    const write = this.sink
      .recordEvent(canary, { ...event, component: 'greenlight-probe' })
      .catch(this.onError)
      .finally(() => this.pending.delete(write));
    this.pending.add(write);
  }
}

/** The Event of one run: `rollout probe of revision abc: 10 requests in 42 ms`, or its failure. */
export function probeEvent(phase: ProbePhase, revision: string, run: ProbeRun) {
  const what = `${phase} probe of revision ${revision}`;
  return run.ok || !run.failure
    ? {
        type: 'Normal' as const,
        reason: PROBE_PASSED,
        message: `${what}: ${run.requests} requests in ${Math.round(run.durationMs)} ms`,
      }
    : {
        type: 'Warning' as const,
        reason: PROBE_FAILED,
        message: `${what} failed: ${formatProbeFailure(run.failure)}`,
      };
}
