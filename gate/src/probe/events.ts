import type { KubernetesObject } from '@kubernetes/client-node';
import {
  PROBE_EVENT_COMPONENT,
  probeProblemEvent,
  probeRunEvent,
  type ProbeEventText,
  type ProbeRun,
  type ProbeWebhook,
} from '@greenlight/core';
import type { EventSink } from '../recorder.ts';

// Every probe run is an Event on the Canary, worded by core (probes/events.ts), which the
// action, the CLI and the portal read back with the same module. Unlike the gate's decisions
// nothing is folded: a run is news, and Flagger calls once per interval.

/** Writes the Events off the response path; flush() waits for them (shutdown, tests). */
export class ProbeRecorder {
  private readonly pending = new Set<Promise<void>>();
  private readonly sink: EventSink;
  private readonly onError: (error: unknown) => void;

  constructor(sink: EventSink, options: { onError?: (error: unknown) => void } = {}) {
    this.sink = sink;
    this.onError = options.onError ?? (() => {});
  }

  record(canary: KubernetesObject, webhook: ProbeWebhook, revision: string, run: ProbeRun): void {
    this.write(canary, probeRunEvent(webhook, revision, run));
  }

  /** A run that could not start (a Secret it may not read): a failure with that sentence. */
  recordProblem(canary: KubernetesObject, webhook: ProbeWebhook, revision: string, why: string) {
    this.write(canary, probeProblemEvent(webhook, revision, why));
  }

  async flush(): Promise<void> {
    await Promise.all([...this.pending]);
  }

  private write(canary: KubernetesObject, event: ProbeEventText) {
    const write = this.sink
      .recordEvent(canary, { ...event, component: PROBE_EVENT_COMPONENT })
      .catch(this.onError)
      .finally(() => this.pending.delete(write));
    this.pending.add(write);
  }
}
