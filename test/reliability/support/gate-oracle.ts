// docs/design.md, "The approval protocol" restated independently of core's `decide`, for checking the gate's answers:
// promotion opens only for an approval of exactly the revision under analysis that no abort
// of that revision overrides; rollback opens only for an abort of exactly that revision.
import type { V1Deployment } from '@kubernetes/client-node';
import type { Canary } from 'flagger-types';

export interface Question {
  gate: 'promotion' | 'rollback';
  namespace: string;
  name: string;
}

/** Whether the gate may answer 200, given the Canary and target Deployment it read. */
export function mayOpen(question: Question, canary?: Canary, target?: V1Deployment): boolean {
  if (!canary || !target) return false;
  if (canary.metadata?.namespace !== question.namespace) return false;
  if (canary.metadata?.name !== question.name) return false;
  if (target.metadata?.namespace !== question.namespace) return false;
  if (target.metadata?.name !== canary.spec?.targetRef?.name) return false;
  const revision = revisionUnderAnalysis(target);
  if (!revision) return false;
  const annotations = canary.metadata?.annotations ?? {};
  const approved = annotations['greenlight.dev/approved-revision']?.trim();
  const aborted = annotations['greenlight.dev/abort-revision']?.trim();
  return question.gate === 'promotion'
    ? approved === revision && aborted !== revision
    : aborted === revision;
}

export function revisionUnderAnalysis(target?: V1Deployment): string | undefined {
  return (
    target?.spec?.template?.metadata?.annotations?.['greenlight.dev/revision']?.trim() || undefined
  );
}
