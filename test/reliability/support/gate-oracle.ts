// The approval protocol (docs/design.md, "The approval protocol") restated independently of
// core's `decide`, `analysisOf` and `approvalState`, for checking the gate's answers:
// - promotion opens only while Flagger analyses (an analysing phase, the Promoted condition
//   Unknown since a transition time), for an approval of exactly the revision under
//   analysis that no abort of that revision overrides, bound to exactly this analysis:
//   its checksum is the one Flagger sends now and is the one of the Canary the gate read,
//   and its run is this run (the Promoted condition's lastTransitionTime);
// - rollback opens only for an abort of exactly that revision.
// The checksum itself is Flagger's function (canaryChecksum, checked against vectors Go
// prints with Flagger's own libraries), not a rule of Greenlight's, so it is shared.
import type { V1Deployment } from '@kubernetes/client-node';
import type { Canary } from 'flagger-types';
import { canaryChecksum } from '@greenlight/core';

export interface Question {
  gate: 'promotion' | 'rollback';
  namespace: string;
  name: string;
  /** The checksum in the webhook body: what Flagger analyses as it asks. */
  checksum?: string;
}

const ANALYSING = new Set([
  'Waiting',
  'Progressing',
  'WaitingPromotion',
  'Promoting',
  'Finalising',
]);

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
  const read = (key: string) => annotations[`greenlight.dev/${key}`]?.trim() || undefined;
  const aborted = read('abort-revision');
  if (question.gate === 'rollback') return aborted === revision;
  if (aborted === revision || read('approved-revision') !== revision) return false;

  const run = runUnderAnalysis(canary);
  if (!run) return false;
  const flaggerSends = question.checksum;
  return (
    flaggerSends === run.checksum &&
    read('approved-checksum') === flaggerSends &&
    read('approved-analysis') === run.startedAt
  );
}

/** The checksum and start of the run Flagger's status on `canary` says is under way. */
export function runUnderAnalysis(
  canary?: Canary,
): { checksum: string; startedAt: string } | undefined {
  const status = canary?.status;
  if (!status?.phase || !ANALYSING.has(status.phase)) return undefined;
  const promoted = (status.conditions ?? []).filter((condition) => condition.type === 'Promoted');
  const startedAt = promoted[0]?.status === 'Unknown' ? promoted[0].lastTransitionTime : undefined;
  return startedAt ? { checksum: canaryChecksum(status), startedAt } : undefined;
}

export function revisionUnderAnalysis(target?: V1Deployment): string | undefined {
  return (
    target?.spec?.template?.metadata?.annotations?.['greenlight.dev/revision']?.trim() || undefined
  );
}
