// Which check made Flagger roll a canary back. Its status only says "Canary analysis failed,
// Deployment scaled to zero." (pkg/canary/status.go); the metric and its value are in the
// Warning Events it records at each failed check: "Halt chatbot.openfaas-fn advancement
// success rate 84.47% < 99%" (scheduler_metrics.go). Events are best effort — client-go's
// correlator merges and drops them (test/e2e/README.md) — so a missing or unreadable one
// leaves the reason as it was.
import type { CoreV1Event } from '@kubernetes/client-node';
import type { KubeClient } from '@greenlight/core';

// "(combined from similar events): " is how the correlator folds a burst into one Event.
const HALT = /^(?:\(combined from similar events\): )?Halt (?:\S+ )?advancement (.+)$/;

/** The last failed check Flagger recorded on Canary `namespace/name` since `since`. */
export async function lastFailedCheck(
  kube: KubeClient,
  namespace: string,
  name: string,
  since?: Date,
): Promise<string | undefined> {
  let events: CoreV1Event[];
  try {
    events = await kube.list<CoreV1Event>({ apiVersion: 'v1', kind: 'Event' }, namespace);
  } catch {
    return undefined; // e.g. a kubeconfig that may not list Events
  }
  // Flagger writes whole seconds.
  const from = since ? Math.floor(since.getTime() / 1000) * 1000 : 0;
  const checks = events
    .filter(
      (e) =>
        e.type === 'Warning' &&
        e.involvedObject?.kind === 'Canary' &&
        e.involvedObject.name === name &&
        timeOf(e) >= from,
    )
    .sort((a, b) => timeOf(a) - timeOf(b))
    .map((e) => HALT.exec(e.message ?? '')?.[1])
    // Waiting for an approval or a webhook halts the analysis without failing a check.
    .filter((detail) => detail !== undefined && !detail.startsWith('waiting for'));
  return checks.at(-1);
}

function timeOf(event: CoreV1Event): number {
  const at = event.lastTimestamp ?? event.eventTime ?? event.firstTimestamp;
  return at ? new Date(at).getTime() : 0;
}
