import type { Canary } from 'flagger-types';
import {
  ABORT_AT,
  ABORT_BY,
  ABORT_REVISION,
  APPROVED_AT,
  APPROVED_BY,
  APPROVED_REVISION,
} from '../revision.ts';

// How approvals and aborts are written on, and read from, the Canary (DESIGN.md §3).
// The Canary is the one source of truth, so the gate holds no state and any number of
// gate replicas agree.

/** A person's word about one revision: approve its promotion, or roll it back. */
export interface RevisionMark {
  revision: string;
  /** Who, as the writer named them (a GitHub login, a Backstage user ref). */
  by?: string;
  /** When, RFC 3339. */
  at?: string;
}

export interface MarkInput {
  revision: string;
  by: string;
  at: Date | string;
}

interface AnnotationNames {
  revision: string;
  by: string;
  at: string;
}

const APPROVAL: AnnotationNames = { revision: APPROVED_REVISION, by: APPROVED_BY, at: APPROVED_AT };
const ABORT: AnnotationNames = { revision: ABORT_REVISION, by: ABORT_BY, at: ABORT_AT };

/** JSON merge patch that approves promotion of `revision` (replacing any earlier approval). */
export function approvalPatch(mark: MarkInput): object {
  return markPatch(APPROVAL, mark);
}

/** JSON merge patch that asks Flagger's rollback webhook to roll `revision` back. */
export function abortPatch(mark: MarkInput): object {
  return markPatch(ABORT, mark);
}

/**
 * JSON merge patch that removes the abort annotations. An abort names a revision, so a
 * later rollout of the *same* revision (a re-run after a fix elsewhere) would be rolled
 * back at once; whoever starts that rollout clears the abort first.
 */
export function clearAbortPatch(): object {
  return {
    metadata: { annotations: { [ABORT_REVISION]: null, [ABORT_BY]: null, [ABORT_AT]: null } },
  };
}

/** The approval written on the Canary, or undefined when there is none. */
export function readApproval(canary?: Canary): RevisionMark | undefined {
  return readMark(APPROVAL, canary);
}

/** The abort written on the Canary, or undefined when there is none. */
export function readAbort(canary?: Canary): RevisionMark | undefined {
  return readMark(ABORT, canary);
}

function markPatch(names: AnnotationNames, { revision, by, at }: MarkInput): object {
  const when = typeof at === 'string' ? at : at.toISOString();
  return {
    metadata: { annotations: { [names.revision]: revision, [names.by]: by, [names.at]: when } },
  };
}

function readMark(names: AnnotationNames, canary?: Canary): RevisionMark | undefined {
  const annotations: Record<string, string | undefined> = canary?.metadata?.annotations ?? {};
  const revision = annotations[names.revision]?.trim();
  if (!revision) return undefined;
  const mark: RevisionMark = { revision };
  const by = annotations[names.by]?.trim();
  const at = annotations[names.at]?.trim();
  if (by) mark.by = by;
  if (at) mark.at = at;
  return mark;
}
