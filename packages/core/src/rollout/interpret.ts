import type { V1Deployment } from '@kubernetes/client-node';
import { analysisThreshold, CANARY_PHASES } from 'flagger-types';
import type { Canary, CanaryPhase, HTTPRoute, TrafficSplit } from 'flagger-types';
import { abortApplies, analysisOf } from '../approval/analysis.ts';
import { approvalStateOf } from '../approval/approval-state-of.ts';
import { readAbort, readApproval } from '../approval/annotations.ts';
import type { RevisionMark } from '../approval/annotations.ts';
import { revisionOf } from '../revision.ts';
import { previousPromoted } from '../rollback/choose.ts';
import { stepProgress, strategyOf } from './steps.ts';
import { judge } from './verdict.ts';
import type { MarkView, RolloutView } from './view.ts';
import { liveWeights } from './weights.ts';

export interface InterpretInput {
  canary: Canary;
  /** The TrafficSplit or HTTPRoute `<apex>` Flagger writes: the live weights. */
  route?: TrafficSplit | HTTPRoute;
  /** The target Deployment (green): the revision under analysis. */
  target?: V1Deployment;
  /** `<name>-primary` (blue): the promoted revision. */
  primary?: V1Deployment;
  /** The revision the caller follows; lets the view say it was superseded. */
  following?: string;
  /** For "has waited N minutes"; omit for a timeless reason. */
  now?: Date;
}

/** One view of a rollout from Flagger's Canary, its route and the two Deployments. Pure. */
export function interpret(input: InterpretInput): RolloutView {
  const { canary, route, target, primary } = input;
  const status = canary.status;
  const revision = revisionOf(target);
  const promotedRevision = revisionOf(primary);
  const weights = liveWeights(canary, route);
  const previous = promotedRevision ? previousPromoted(canary, promotedRevision) : undefined;
  const analysis = analysisOf(canary);
  const approved = readApproval(canary);
  const approvalState = approvalStateOf(canary, target);
  const approval =
    approved && approvalState !== 'none'
      ? { ...markView(approved, revision), state: approvalState }
      : undefined;
  const aborted = readAbort(canary);
  // An abort acts on the run it was given for: during a later run of the same revision it
  // rolls nothing back, so it does not count as matching. Once no run is under way (the
  // rollback it asked for is done), it is taken as the one that ended the last run.
  const abort = aborted && {
    ...markView(aborted, revision),
    matchesRevision: analysis
      ? abortApplies(aborted, revision, analysis)
      : aborted.revision === revision,
  };
  const base = {
    namespace: canary.metadata?.namespace ?? '',
    name: canary.metadata?.name ?? '',
    phase: phaseOf(status?.phase),
    provider: canary.spec?.provider || 'default',
    strategy: strategyOf(canary),
    weights,
    step: stepProgress(canary, weights.green),
    failedChecks: status?.failedChecks ?? 0,
    threshold: analysisThreshold(canary),
  };
  const optional = {
    revision,
    promotedRevision,
    rollbackTo: previous && {
      revision: previous.revision,
      at: previous.at,
      images: previous.images,
    },
    approval,
    abort,
    lastTransitionTime: status?.lastTransitionTime,
  };
  const judgement = judge({
    ...base,
    ...optional,
    following: input.following,
    promotedMessage: status?.conditions?.find((condition) => condition.type === 'Promoted')
      ?.message,
    now: input.now,
  });
  return { ...base, ...definedOnly(optional), ...judgement };
}

function phaseOf(phase: unknown): CanaryPhase | 'Unknown' {
  // Flagger's status.phase may be "" before its first reconcile.
  return phase && (CANARY_PHASES as readonly unknown[]).includes(phase)
    ? (phase as CanaryPhase)
    : 'Unknown';
}

function markView<T extends RevisionMark | undefined>(
  mark: T,
  revision: string | undefined,
): T extends RevisionMark ? MarkView : undefined;
function markView(mark: RevisionMark | undefined, revision: string | undefined) {
  return mark && { ...mark, matchesRevision: revision !== undefined && mark.revision === revision };
}

function definedOnly<T extends object>(object: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(object).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
}
