// The last chat probe run of a revision, from the prober's Events on the Canary
// (docs/design.md, "Chat probes"): reason ProbePassed (Normal) or ProbeFailed (Warning), message
// `<pre-rollout|rollout> probe of revision <rev>: <n> requests in <ms> ms` or
// `<pre-rollout|rollout> probe of revision <rev> failed: <conversation, turn, request, reply>`.
import type { CoreV1Event } from '@kubernetes/client-node';

export interface ProbeRun {
  passed: boolean;
  /** The prober's message, as it wrote it. */
  message: string;
  /** A failure's turn, request and reply: what follows `failed: `. */
  failure?: string;
}

const REASONS = { ProbePassed: true, ProbeFailed: false } as const;
const REVISION = /probe of revision (\S+?):? /;
const FAILURE = / failed: ([\s\S]*)$/;

/** The newest probe run of `revision` among a Canary's `events` (oldest first), if any. */
export function lastProbeRun(events: CoreV1Event[], revision: string): ProbeRun | undefined {
  const runs = events.filter(
    (e) => (e.reason ?? '') in REASONS && REVISION.exec(e.message ?? '')?.[1] === revision,
  );
  const last = runs.at(-1);
  if (!last) return undefined;
  const message = last.message as string;
  const passed = REASONS[last.reason as keyof typeof REASONS];
  const failure = passed ? undefined : FAILURE.exec(message)?.[1];
  return { passed, message, ...(failure ? { failure } : {}) };
}
