import type { KubernetesObject } from '@kubernetes/client-node';
import type { EventInput } from '@greenlight/core';
import { EventQueue, type EventQueueOptions } from './event-queue.ts';

export interface EventSink {
  recordEvent(involved: KubernetesObject, event: EventInput): Promise<void>;
}

export interface RecordedDecision {
  gate: string;
  code: string;
  allowed: boolean;
  reason: string;
  revision?: string;
  /** Flagger's checksum of the analysis: a new analysis is a new decision, never a repeat. */
  checksum?: string;
}

/**
 * Turns gate decisions into Kubernetes Events on the Canary, off the response path.
 *
 * Flagger calls the gate every analysis interval while a canary waits, so one Event per
 * call would flood the namespace. Like client-go's EventCorrelator, an Event is written when
 * the decision for a canary changes and otherwise at most once per `repeatEvery`, saying how
 * many identical decisions it stands for. Writes go through an EventQueue (a few in flight, a
 * capped queue); a dropped write is not remembered, so the canary's next call tries again.
 */
export class DecisionRecorder {
  private readonly last = new Map<string, { signature: string; at: number; repeats: number }>();
  private readonly queue: EventQueue;
  private readonly sink: EventSink;
  private readonly repeatEveryMs: number;

  constructor(sink: EventSink, options: EventQueueOptions & { repeatEveryMs?: number } = {}) {
    this.sink = sink;
    this.repeatEveryMs = options.repeatEveryMs ?? 5 * 60_000;
    this.queue = new EventQueue(options);
  }

  record(canary: KubernetesObject, decision: RecordedDecision, now = Date.now()): void {
    const key = `${canary.metadata?.namespace}/${canary.metadata?.name}/${decision.gate}`;
    const signature = `${decision.code}/${decision.revision ?? ''}/${decision.checksum ?? ''}`;
    const previous = this.last.get(key);
    if (previous?.signature === signature && now - previous.at < this.repeatEveryMs) {
      previous.repeats += 1;
      return;
    }
    const repeats = previous?.signature === signature ? previous.repeats : 0;
    const suffix = repeats > 0 ? ` (same decision ${repeats} more times since the last event)` : '';
    const event: EventInput = {
      type: decision.allowed ? 'Normal' : 'Warning',
      reason: `Gate${capitalize(decision.gate)}${decision.allowed ? 'Allowed' : 'Refused'}`,
      message: `${decision.reason}${suffix}`,
      component: 'greenlight-gate',
    };
    const queued = this.queue.enqueue(
      () => this.sink.recordEvent(canary, event),
      `${key}/${signature}`,
    );
    if (queued) this.last.set(key, { signature, at: now, repeats: 0 });
  }

  /** Resolves when every event write queued so far has finished (for shutdown and tests). */
  flush(): Promise<void> {
    return this.queue.flush();
  }
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
