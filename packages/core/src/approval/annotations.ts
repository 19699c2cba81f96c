import type { Canary } from 'flagger-types';
import {
  ABORT_ANALYSIS,
  ABORT_AT,
  ABORT_BY,
  ABORT_CHECKSUM,
  ABORT_NOTE,
  ABORT_REVISION,
  APPROVED_ANALYSIS,
  APPROVED_AT,
  APPROVED_BY,
  APPROVED_CHECKSUM,
  APPROVED_NOTE,
  APPROVED_REVISION,
  APPROVED_TEMPLATE,
} from '../revision.ts';

// How approvals and aborts are written on, and read from, the Canary (docs/design.md, "The
// approval protocol"). The Canary is the one source of truth, so the gate holds no state
// and any number of gate replicas agree.

/** A person's word about one revision: approve its promotion, or roll it back. */
export interface RevisionMark {
  revision: string;
  /** Flagger's webhook checksum of the analysis it was given for. */
  checksum?: string;
  /** When that analysis began. */
  analysis?: string;
  /** Greenlight's hash of the target's pod template approved (approvals only). */
  template?: string;
  /** Who, as the Kubernetes API authenticated the writer. */
  by?: string;
  /** For whom or why, in the writer's words: a GitHub actor and run, a Backstage user. */
  note?: string;
  /** When, RFC 3339. */
  at?: string;
}

export interface MarkInput {
  revision: string;
  checksum: string;
  /** The start of the analysis run: approvals promote, and aborts roll back, that run only. */
  analysis?: string;
  /** Greenlight's hash of the target's pod template (approvals). */
  template?: string;
  by: string;
  note?: string;
  at: Date | string;
}

type Field = keyof RevisionMark;
type AnnotationNames = Partial<Record<Field, string>> & { revision: string };

const APPROVAL: AnnotationNames = {
  revision: APPROVED_REVISION,
  checksum: APPROVED_CHECKSUM,
  analysis: APPROVED_ANALYSIS,
  template: APPROVED_TEMPLATE,
  by: APPROVED_BY,
  note: APPROVED_NOTE,
  at: APPROVED_AT,
};
const ABORT: AnnotationNames = {
  revision: ABORT_REVISION,
  checksum: ABORT_CHECKSUM,
  analysis: ABORT_ANALYSIS,
  by: ABORT_BY,
  note: ABORT_NOTE,
  at: ABORT_AT,
};

/** JSON merge patch that approves promotion of `revision` (replacing any earlier approval). */
export function approvalPatch(mark: MarkInput): object {
  return markPatch(APPROVAL, mark);
}

/** JSON merge patch that asks Flagger's rollback webhook to roll `revision` back. */
export function abortPatch(mark: MarkInput): object {
  return markPatch(ABORT, mark);
}

/**
 * JSON merge patch that removes the abort annotations (an approver's undo of an abort; the
 * gate chart's policy admits it only from approvers). A deploy never needs it: an abort
 * rolls back the run it was given for, so a later run of the same revision is not touched.
 */
export function clearAbortPatch(): object {
  const annotations = Object.fromEntries(Object.values(ABORT).map((key) => [key, null]));
  return { metadata: { annotations } };
}

/** The approval written on the Canary, or undefined when there is none. */
export function readApproval(canary?: Canary): RevisionMark | undefined {
  return readMark(APPROVAL, canary);
}

/** The abort written on the Canary, or undefined when there is none. */
export function readAbort(canary?: Canary): RevisionMark | undefined {
  return readMark(ABORT, canary);
}

// Every field is written, absent ones as null: a new mark replaces the whole earlier one,
// so no note or checksum of an earlier approval survives beside the new revision.
function markPatch(names: AnnotationNames, mark: MarkInput): object {
  const values: Partial<Record<Field, string>> = {
    ...mark,
    at: typeof mark.at === 'string' ? mark.at : mark.at.toISOString(),
  };
  const annotations: Record<string, string | null> = {};
  for (const [field, key] of Object.entries(names) as [Field, string][]) {
    annotations[key] = values[field] ?? null;
  }
  return { metadata: { annotations } };
}

function readMark(names: AnnotationNames, canary?: Canary): RevisionMark | undefined {
  const annotations: Record<string, string | undefined> = canary?.metadata?.annotations ?? {};
  const revision = annotations[names.revision]?.trim();
  if (!revision) return undefined;
  const mark: RevisionMark = { revision };
  for (const [field, key] of Object.entries(names) as [Field, string][]) {
    const value = annotations[key]?.trim();
    if (field !== 'revision' && value) mark[field] = value;
  }
  return mark;
}
