import type { V1Deployment } from '@kubernetes/client-node';
import type { Canary } from 'flagger-types';
import { UserError } from '../errors.ts';
import { REVISION_ANNOTATION, revisionOf } from '../revision.ts';

// Which revision a Canary analyses: the greenlight.dev/revision annotation on its target
// Deployment's pod template (docs/design.md, "The approval protocol"). The one check for the
// gate's decision, core's approve/abort and the action's check before any write.

/** Why no revision, or not the one asked for, is under analysis. */
export type RevisionProblem = 'no-target' | 'no-revision' | 'other-revision';

/** A UserError saying which of the three went wrong, so the gate can answer 404 or 403. */
export class RevisionError extends UserError {
  readonly problem: RevisionProblem;

  constructor(
    problem: RevisionProblem,
    message: string,
    details: { field?: string; hint: string },
  ) {
    super(message, details);
    this.name = 'RevisionError';
    this.problem = problem;
  }
}

export interface RevisionAsked {
  /** What the caller is about to do with the revision: "approve", "abort", "promote". */
  verb: string;
  /** The revision the person named; none means whichever is under analysis. */
  wanted?: string | undefined;
  /**
   * How the caller's surface says "act on revision X" in the fix (the action's
   * `Use revision: X`); by default "<Verb> revision X".
   */
  fix?: (current: string) => string;
}

/**
 * The revision `canary` analyses, read from `target` (its `spec.targetRef` Deployment), or
 * the error to give: no such Deployment, no revision annotation on it, or another revision
 * than the one asked for.
 */
export function revisionUnderAnalysis(
  canary: Canary,
  target: V1Deployment | undefined,
  asked: RevisionAsked,
): string | RevisionError {
  const namespace = canary.metadata?.namespace;
  const id = `${namespace}/${canary.metadata?.name}`;
  const targetName = canary.spec?.targetRef?.name;
  const targetId = `${namespace}/${targetName}`;
  if (!target || (target.metadata?.name !== undefined && target.metadata.name !== targetName)) {
    return new RevisionError(
      'no-target',
      `the target Deployment ${targetId} of Canary ${id} does not exist, so no revision is under analysis`,
      { hint: 'Deploy the function first' },
    );
  }
  const current = revisionOf(target);
  if (!current) {
    return new RevisionError(
      'no-revision',
      `Deployment ${targetId} has no ${REVISION_ANNOTATION} annotation on its pod template, so there is no revision to ${asked.verb}`,
      {
        hint: `Deploy it with Greenlight, or set spec.template.metadata.annotations["${REVISION_ANNOTATION}"] to the commit it runs`,
      },
    );
  }
  const wanted = asked.wanted?.trim() || current;
  if (wanted !== current) {
    const fix = asked.fix?.(current) ?? `${capitalised(asked.verb)} revision ${current}`;
    return new RevisionError(
      'other-revision',
      `revision ${wanted} is not under analysis in Canary ${id}; revision ${current} is`,
      { field: 'revision', hint: `${fix}, or wait for ${wanted} to be deployed` },
    );
  }
  return current;
}

function capitalised(text: string): string {
  return `${text[0]?.toUpperCase() ?? ''}${text.slice(1)}`;
}
