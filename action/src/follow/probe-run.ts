// The last chat probe run of a revision, from the prober's Events on the Canary
// (docs/design.md, "Chat probes"), read with core's parser of the messages the prober writes.
import type { CoreV1Event } from '@kubernetes/client-node';
import { parseProbeEvent } from '@greenlight/core';

export interface ProbeRun {
  passed: boolean;
  /** The prober's message, as it wrote it. */
  message: string;
  /** A failure's turn, request and reply: what follows `failed: `. */
  failure?: string;
}

/** The newest probe run of `revision` among a Canary's `events` (oldest first), if any. */
export function lastProbeRun(events: CoreV1Event[], revision: string): ProbeRun | undefined {
  for (const event of [...events].reverse()) {
    const run = parseProbeEvent(event);
    if (run?.revision !== revision) continue;
    const message = event.message as string;
    return run.outcome === 'passed'
      ? { passed: true, message }
      : { passed: false, message, failure: run.detail };
  }
  return undefined;
}
