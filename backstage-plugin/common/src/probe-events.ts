// The prober's Events on a Canary, read back as probe runs (issue 15) with core's parser, the
// one that the prober's wording comes from. It is imported by its own entry point
// (`@greenlight/core/probe-events`), which imports nothing of Node's: the frontend runs this too.
import { parseProbeEvent, type ProbeEventRun } from '@greenlight/core/probe-events';

export type { ProbeWebhook } from '@greenlight/core/probe-events';

/** A probe run as the portal shows it: core's reading of the Event, with when and how often. */
export type ProbeRunEntry = ProbeEventRun & {
  /** RFC 3339: when it last happened (Kubernetes folds identical runs into one Event). */
  at?: string;
  /** How many identical runs the Event stands for. */
  count: number;
};

/** The fields of a HistoryEntry (api.ts) a probe run is read from. */
export interface ProbeEvent {
  reason: string;
  message: string;
  at?: string;
  count: number;
}

/** The probe run an Event records, or undefined when it is not one of the prober's. Pure. */
export function probeRunOf(entry: ProbeEvent): ProbeRunEntry | undefined {
  const run = parseProbeEvent(entry);
  return run && { ...run, ...(entry.at ? { at: entry.at } : {}), count: entry.count };
}

/**
 * Per revision, its last probe run (either webhook), newest revision first, from a
 * history that is newest first (RolloutResponse.history). Pure.
 */
export function lastProbeRuns(history: ProbeEvent[]): ProbeRunEntry[] {
  const last = new Map<string, ProbeRunEntry>();
  for (const entry of history) {
    const run = probeRunOf(entry);
    if (run && !last.has(run.revision)) last.set(run.revision, run);
  }
  return [...last.values()];
}
