// The prober's Events on a Canary, read back as probe runs (issue 15). The prober records
// every run as an Event: reason `ProbePassed` (Normal) with
//   `<pre-rollout|rollout> probe of revision <rev>: <n> requests in <ms> ms`
// or `ProbeFailed` (Warning) with
//   `<pre-rollout|rollout> probe of revision <rev> failed: <formatProbeFailure>`,
// where the failure reads `conversation "<c>" turn <t>: sent <request>; reply <reply>: <reason>`.
// This is the one place that parses those messages; the backend and the frontend share it.
import type { ProbeFailure } from '@greenlight/core';

export const PROBE_PASSED_REASON = 'ProbePassed';
export const PROBE_FAILED_REASON = 'ProbeFailed';

/** The Flagger webhook that ran the probe. */
export type ProbeWebhook = 'pre-rollout' | 'rollout';

interface ProbeRunBase {
  webhook: ProbeWebhook;
  revision: string;
  /** RFC 3339: when it last happened (Kubernetes folds identical runs into one Event). */
  at?: string;
  /** How many identical runs the Event stands for. */
  count: number;
}

export interface PassedProbeRun extends ProbeRunBase {
  outcome: 'passed';
  requests: number;
  durationMs: number;
}

export interface FailedProbeRun extends ProbeRunBase {
  outcome: 'failed';
  /** The turn, the request and the reply; absent when the text is not in the prober's shape. */
  failure?: ProbeFailure;
  /** What followed `failed: `, as the prober wrote it. */
  detail: string;
}

export type ProbeRunEntry = PassedProbeRun | FailedProbeRun;

/** The fields of a HistoryEntry (api.ts) a probe run is read from. */
export interface ProbeEvent {
  reason: string;
  message: string;
  at?: string;
  count: number;
}

const PASSED = /^(pre-rollout|rollout) probe of revision (\S+): (\d+) requests? in (\d+) ms$/;
const FAILED = /^(pre-rollout|rollout) probe of revision (\S+) failed: ([\s\S]*)$/;
const TURN = /^conversation "([\s\S]*)" turn (\d+): sent ([\s\S]*)$/;

/** The probe run an Event records, or undefined when it is not one of the prober's. Pure. */
export function probeRunOf(entry: ProbeEvent): ProbeRunEntry | undefined {
  const base = { ...(entry.at ? { at: entry.at } : {}), count: entry.count };
  if (entry.reason === PROBE_PASSED_REASON) {
    const passed = PASSED.exec(entry.message);
    if (!passed) return undefined;
    return {
      outcome: 'passed',
      webhook: passed[1] as ProbeWebhook,
      revision: passed[2] as string,
      requests: Number(passed[3]),
      durationMs: Number(passed[4]),
      ...base,
    };
  }
  if (entry.reason === PROBE_FAILED_REASON) {
    const failed = FAILED.exec(entry.message);
    if (!failed) return undefined;
    const detail = failed[3] as string;
    const failure = failureOf(detail);
    return {
      outcome: 'failed',
      webhook: failed[1] as ProbeWebhook,
      revision: failed[2] as string,
      ...(failure ? { failure } : {}),
      detail,
      ...base,
    };
  }
  return undefined;
}

// The reasons core's runProbe gives (packages/core/src/probes/run.ts, `unmet` and the
// network failures). A reply (`200 {"reply": "…"}`, `no reply: ECONNREFUSED`) and a reason
// (`does not contain "a: b"`) may both hold `: `, so the reason is found by its shape; one of
// a shape not listed here is taken from the last `: `.
const REASON =
  /^([\s\S]*?): (status \d+, expected \d+|does not contain "[\s\S]*"|does not match \/[\s\S]*\/|timed out|request failed)$/;

// The request is the prober's shortened text of what it sent: the first `; reply ` ends it.
function failureOf(detail: string): ProbeFailure | undefined {
  const turn = TURN.exec(detail);
  if (!turn) return undefined;
  const sent = turn[3] as string;
  const replyAt = sent.indexOf('; reply ');
  if (replyAt < 0) return undefined;
  const rest = sent.slice(replyAt + '; reply '.length);
  const known = REASON.exec(rest);
  const reasonAt = known ? (known[1] as string).length : rest.lastIndexOf(': ');
  if (reasonAt < 0) return undefined;
  return {
    conversation: turn[1] as string,
    turn: Number(turn[2]),
    request: sent.slice(0, replyAt),
    reply: rest.slice(0, reasonAt),
    reason: rest.slice(reasonAt + 2),
  };
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
