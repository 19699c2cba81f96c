import type { CoreV1Event } from '@kubernetes/client-node';
import type { HistoryEntry } from '@greenlight/backstage-plugin-greenlight-common';

/** How many Events the history shows; Kubernetes keeps them about an hour anyway. */
export const HISTORY_LIMIT = 100;

/** Every Event about Canary `namespace/name`, newest first. Pure. */
export function eventsAbout(
  events: CoreV1Event[],
  namespace: string,
  name: string,
): HistoryEntry[] {
  return events
    .filter(
      ({ involvedObject: about }) =>
        about?.kind === 'Canary' &&
        about.name === name &&
        (about.namespace ?? namespace) === namespace,
    )
    .map((event) => ({ entry: entryOf(event), time: Date.parse(timeOf(event) ?? '') || 0 }))
    .sort((a, b) => b.time - a.time)
    .map(({ entry }) => entry);
}

function entryOf(event: CoreV1Event): HistoryEntry {
  const at = timeOf(event);
  const source = event.reportingComponent || event.source?.component;
  return {
    type: event.type === 'Warning' ? 'Warning' : 'Normal',
    reason: event.reason ?? '',
    message: event.message ?? '',
    ...(at ? { at } : {}),
    count: event.count ?? event.series?.count ?? 1,
    ...(source ? { source } : {}),
  };
}

// Watch JSON keeps timestamps as strings although client-node types them as Date. An
// aggregated Event's last occurrence is lastTimestamp (or series.lastObservedTime).
function timeOf(event: CoreV1Event): string | undefined {
  const stamp =
    event.series?.lastObservedTime ??
    event.lastTimestamp ??
    event.eventTime ??
    event.firstTimestamp ??
    event.metadata?.creationTimestamp;
  return stamp === undefined || stamp === null ? undefined : String(stamp);
}
