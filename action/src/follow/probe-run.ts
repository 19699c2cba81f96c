// The last chat probe run of a revision, from the prober's Events on the Canary
// (docs/design.md, "Chat probes"), read with core's parser of the messages the prober writes.
// Only the prober's own Events count (source.component greenlight-probe; anything that may
// create Events in the namespace could word one alike), and only those of the rollout being
// followed: a revision deployed again would otherwise show the run of its last rollout.
import type { CoreV1Event } from '@kubernetes/client-node';
import { parseProbeEvent, PROBE_EVENT_COMPONENT } from '@greenlight/core';
import { eventTime } from './failed-check.ts';

export interface ProbeRun {
  passed: boolean;
  /** The prober's message, as it wrote it. */
  message: string;
  /** A failure's turn, request and reply: what follows `failed: `. */
  failure?: string;
}

/**
 * The newest probe run of `revision` among a Canary's `events` (oldest first) that the
 * prober recorded at or after `since` (the rollout's start), if any.
 */
export function lastProbeRun(
  events: CoreV1Event[],
  revision: string,
  since?: Date,
): ProbeRun | undefined {
  // Events carry whole seconds.
  const from = since ? Math.floor(since.getTime() / 1000) * 1000 : 0;
  for (const event of [...events].reverse()) {
    if (event.source?.component !== PROBE_EVENT_COMPONENT || eventTime(event) < from) continue;
    const run = parseProbeEvent(event);
    if (run?.revision !== revision) continue;
    const message = event.message as string;
    return run.outcome === 'passed'
      ? { passed: true, message }
      : { passed: false, message, failure: run.detail };
  }
  return undefined;
}
