import type { Canary } from 'flagger-types';

// The audit of a rollback, written on the Canary like an approval (docs/design.md, "Rollback
// after promotion"): the last rollback, who asked for it as the API server authenticated
// them, for whom, when, and whether its analysis was skipped.

/** On the Canary: the revision the last rollback brought back. */
export const ROLLBACK_REVISION = 'greenlight.dev/rollback-revision';
/** On the Canary: the revision the primary ran when it was asked for. */
export const ROLLBACK_FROM = 'greenlight.dev/rollback-from';
/** On the Canary: who, as the Kubernetes API authenticated the writer. */
export const ROLLBACK_BY = 'greenlight.dev/rollback-by';
/** On the Canary: for whom or why, in the writer's words. */
export const ROLLBACK_NOTE = 'greenlight.dev/rollback-note';
/** On the Canary: when (RFC 3339). */
export const ROLLBACK_AT = 'greenlight.dev/rollback-at';
/** On the Canary: "true" when the rollback was promoted without an analysis. */
export const ROLLBACK_SKIPPED_ANALYSIS = 'greenlight.dev/rollback-skipped-analysis';

export interface RollbackMark {
  revision: string;
  from: string;
  by: string;
  note?: string;
  at: string;
  skippedAnalysis: boolean;
}

/** The merge patch recording `mark`; every field written, absent ones as null. */
export function rollbackPatch(mark: RollbackMark): object {
  return {
    metadata: {
      annotations: {
        [ROLLBACK_REVISION]: mark.revision,
        [ROLLBACK_FROM]: mark.from,
        [ROLLBACK_BY]: mark.by,
        [ROLLBACK_NOTE]: mark.note ?? null,
        [ROLLBACK_AT]: mark.at,
        [ROLLBACK_SKIPPED_ANALYSIS]: mark.skippedAnalysis ? 'true' : null,
      },
    },
  };
}

/** The last rollback recorded on `canary`, if any. */
export function readRollback(canary: Canary | undefined): RollbackMark | undefined {
  const a: Record<string, string | undefined> = canary?.metadata?.annotations ?? {};
  const revision = a[ROLLBACK_REVISION]?.trim();
  if (!revision) return undefined;
  return {
    revision,
    from: a[ROLLBACK_FROM] ?? '',
    by: a[ROLLBACK_BY] ?? '',
    ...(a[ROLLBACK_NOTE] ? { note: a[ROLLBACK_NOTE] } : {}),
    at: a[ROLLBACK_AT] ?? '',
    skippedAnalysis: a[ROLLBACK_SKIPPED_ANALYSIS] === 'true',
  };
}
