// The last chat probe run per revision, from the prober's Events on the Canary, read with
// core's parser (docs/design.md, "Chat probes").
import type { CoreV1Event } from '@kubernetes/client-node';
import { parseProbeEvent, PROBE_EVENT_COMPONENT, type ProbeEventRun } from '@greenlight/core';

/**
 * The newest probe run of `revision` among `events` of any objects, if any: the prober's own
 * Events only (source greenlight-probe), not a look-alike anything in the namespace may write.
 */
export function lastProbeRun(
  events: CoreV1Event[],
  canary: string,
  revision: string | undefined,
): ProbeEventRun | undefined {
  if (revision === undefined) return undefined;
  let last: { run: ProbeEventRun; at: number } | undefined;
  for (const event of events) {
    if (event.involvedObject?.kind !== 'Canary' || event.involvedObject.name !== canary) continue;
    if (event.source?.component !== PROBE_EVENT_COMPONENT) continue;
    const run = parseProbeEvent(event);
    const at = timeOf(event);
    if (run?.revision === revision && (!last || at >= last.at)) last = { run, at };
  }
  return last?.run;
}

/** One line: `rollout passed: 25 requests in 840 ms`, or the failed turn, reason first. */
export function probeRunText(run: ProbeEventRun): string {
  if (run.outcome === 'passed') {
    return `${run.webhook} passed: ${run.requests} requests in ${run.durationMs} ms`;
  }
  const f = run.failure;
  if (!f) return `${run.webhook} failed: ${run.detail}`;
  return `${run.webhook} failed: conversation ${JSON.stringify(f.conversation)} turn ${f.turn}: ${f.reason}; sent ${f.request}; reply ${f.reply}`;
}

function timeOf(event: CoreV1Event): number {
  const at = event.lastTimestamp ?? event.eventTime ?? event.firstTimestamp;
  return at ? new Date(at).getTime() : 0;
}
