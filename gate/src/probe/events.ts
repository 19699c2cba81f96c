import type { KubernetesObject } from '@kubernetes/client-node';
import {
  PROBE_EVENT_COMPONENT,
  probeProblemEvent,
  probeRunEvent,
  type ProbeEventText,
  type ProbeRun,
  type ProbeWebhook,
} from '@greenlight/core';
import { EventQueue, type EventQueueOptions } from '../event-queue.ts';
import type { EventSink } from '../recorder.ts';

// Every probe run is an Event on the Canary, worded by core (probes/events.ts), which the
// action, the CLI and the portal read back with the same module. Unlike the gate's decisions
// nothing is folded: a run is news, and Flagger calls once per interval. The writes share the
// gate's bound (EventQueue: a few in flight, a capped queue) but are never coalesced.

/** Writes the Events off the response path; flush() waits for them (shutdown, tests). */
export class ProbeRecorder {
  private readonly queue: EventQueue;
  private readonly sink: EventSink;

  constructor(sink: EventSink, options: EventQueueOptions = {}) {
    this.sink = sink;
    this.queue = new EventQueue(options);
  }

  record(canary: KubernetesObject, webhook: ProbeWebhook, revision: string, run: ProbeRun): void {
    this.write(canary, probeRunEvent(webhook, revision, run));
  }

  /** A run that could not start (a Secret it may not read): a failure with that sentence. */
  recordProblem(canary: KubernetesObject, webhook: ProbeWebhook, revision: string, why: string) {
    this.write(canary, probeProblemEvent(webhook, revision, why));
  }

  flush(): Promise<void> {
    return this.queue.flush();
  }

  private write(canary: KubernetesObject, event: ProbeEventText) {
    this.queue.enqueue(() =>
      this.sink.recordEvent(canary, { ...event, component: PROBE_EVENT_COMPONENT }),
    );
  }
}
