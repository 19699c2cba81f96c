// Which check made Flagger roll a canary back. Its status only says "Canary analysis failed,
// Deployment scaled to zero." (pkg/canary/status.go); the metric and its value are in the
// Warning Events it records at each failed check: "Halt chatbot.openfaas-fn advancement
// success rate 84.47% < 99%" (scheduler_metrics.go). A failed webhook's Event carries the
// webhook's answer: "Halt chatbot.openfaas-fn advancement pre-rollout check
// greenlight-probe-pre failed <the prober's reply>", so a probe's failed turn is in it.
// Events are best effort — client-go's correlator merges and drops them (test/e2e/README.md)
// — so a missing or unreadable one leaves the reason as it was.
import type { CoreV1Event } from '@kubernetes/client-node';
import type { KubeClient } from '@greenlight/core';

// "(combined from similar events): " is how the correlator folds a burst into one Event.
const HALT = /^(?:\(combined from similar events\): )?Halt (?:\S+ )?advancement (.+)$/s;

/** The Events on Canary `namespace/name`, oldest first; none when they cannot be listed. */
export async function canaryEvents(
  kube: KubeClient,
  namespace: string,
  name: string,
): Promise<CoreV1Event[]> {
  let events: CoreV1Event[];
  try {
    events = await kube.list<CoreV1Event>({ apiVersion: 'v1', kind: 'Event' }, namespace);
  } catch {
    return []; // e.g. a kubeconfig that may not list Events
  }
  return events
    .filter((e) => e.involvedObject?.kind === 'Canary' && e.involvedObject.name === name)
    .sort((a, b) => eventTime(a) - eventTime(b));
}

/** The last failed check Flagger recorded among a Canary's `events` since `since`. */
export function lastFailedCheck(events: CoreV1Event[], since?: Date): string | undefined {
  // Flagger writes whole seconds.
  const from = since ? Math.floor(since.getTime() / 1000) * 1000 : 0;
  return (
    events
      .filter((e) => e.type === 'Warning' && eventTime(e) >= from)
      .map((e) => HALT.exec(e.message ?? '')?.[1])
      // Waiting for an approval or a webhook halts the analysis without failing a check.
      .filter((detail) => detail !== undefined && !detail.startsWith('waiting for'))
      .at(-1)
  );
}

export function eventTime(event: CoreV1Event): number {
  const at = event.lastTimestamp ?? event.eventTime ?? event.firstTimestamp;
  return at ? new Date(at).getTime() : 0;
}
