// The approval protocol (docs/design.md, "The approval protocol") restated independently of
// core's `decide`, `analysisOf`, `approvalState`, `abortApplies` and `templateHash`, for
// checking the gate's answers:
// - an abort "holds" for the run under way when it names the revision under analysis and
//   either names this run (abort-analysis = the Promoted condition's lastTransitionTime) or
//   names no run at all (written by hand: it acts on the revision). An abort of an earlier
//   run of the same revision holds for nothing;
// - promotion opens only while Flagger analyses (an analysing phase, the Promoted condition
//   Unknown since a transition time), for an approval of exactly the revision under
//   analysis that no holding abort overrides, bound to exactly this analysis: its checksum
//   is the one Flagger sends now and is the one of the Canary the gate read, its run is this
//   run, its template is the pod template the target Deployment the gate read holds (Flagger
//   promotes the target as it is, whatever checksum it analysed), and it names its approver;
// - rollback opens only for a holding abort.
// The checksum itself is Flagger's function (canaryChecksum, checked against vectors Go
// prints with Flagger's own libraries), not a rule of Greenlight's, so it is shared. The
// template hash is Greenlight's own, so it is restated here from its definition.
import { createHash } from 'node:crypto';
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
  const run = runUnderAnalysis(canary);
  const abortRun = read('abort-analysis');
  const abortHolds =
    read('abort-revision') === revision && (abortRun === undefined || abortRun === run?.startedAt);
  if (question.gate === 'rollback') return abortHolds;
  if (abortHolds || read('approved-revision') !== revision) return false;

  if (!run) return false;
  const flaggerSends = question.checksum;
  return (
    flaggerSends === run.checksum &&
    read('approved-checksum') === flaggerSends &&
    read('approved-analysis') === run.startedAt &&
    read('approved-template') === podTemplateOf(target) &&
    read('approved-by') !== undefined
  );
}

/**
 * The identity of the target's pod template an approval records: `sha256:` and the hex
 * SHA-256 of the template as JSON with every object's keys in code-unit order and absent
 * (undefined) members left out — docs/design.md, "The approval protocol".
 */
export function podTemplateOf(target?: V1Deployment): string | undefined {
  const template = target?.spec?.template;
  if (!template) return undefined;
  return `sha256:${createHash('sha256').update(sortedJson(template)).digest('hex')}`;
}

function sortedJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map((item) => sortedJson(item)).join(',')}]`;
  const members: string[] = [];
  for (const key of Object.keys(value).sort()) {
    const member = (value as Record<string, unknown>)[key];
    if (member !== undefined) members.push(`${JSON.stringify(key)}:${sortedJson(member)}`);
  }
  return `{${members.join(',')}}`;
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
