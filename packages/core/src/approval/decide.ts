import type { V1Deployment } from '@kubernetes/client-node';
import type { Canary } from 'flagger-types';
import { APPROVED_CHECKSUM } from '../revision.ts';
import { abortApplies, analysisOf, approvalState, type Subject } from './analysis.ts';
import { templateHash } from './template.ts';
import { RevisionError, revisionUnderAnalysis } from './under-analysis.ts';
import { readAbort, readApproval } from './annotations.ts';
import { parseWebhookPayload, type WebhookPayload } from './payload.ts';

// The gate's decision, as a pure function of what the gate read (docs/design.md, "The
// approval protocol").
// Flagger passes a webhook on 200–202 and fails it on anything else (or a timeout), so
// every path below that is not an explicit "yes" is a refusal: fail closed.

/** Which Flagger webhook is asking: `confirm-promotion` or `rollback`. */
export type Gate = 'promotion' | 'rollback';

export type DecisionCode =
  /** promotion: the revision under analysis is approved (200). */
  | 'Approved'
  /** promotion: no approval on the Canary (403). */
  | 'NotApproved'
  /** the approval (promotion) or abort (rollback) names another revision (403). */
  | 'OtherRevision'
  /** promotion: the approval names this revision but another pod template (403). */
  | 'OtherTemplate'
  /** promotion: the approval was for an earlier analysis, since promoted or rolled back (403). */
  | 'ApprovalUsed'
  /** promotion: the approval names no analysis (written by hand or before the binding) (403). */
  | 'ApprovalUnbound'
  /** an abort names the revision under analysis: rollback 200, promotion 403. */
  | 'Aborted'
  /** rollback: no abort on the Canary (403). */
  | 'NotAborted'
  /** the webhook body is not Flagger's payload (400). */
  | 'BadPayload'
  /** the Canary named by the payload does not exist (404). */
  | 'UnknownCanary'
  /** the Canary's target Deployment does not exist (404). */
  | 'UnknownTarget'
  /** the target's pod template carries no revision annotation (403). */
  | 'NoRevision'
  /** the gate's view of the cluster is not synced yet, or behind Flagger's analysis (503). */
  | 'NotSynced';

export type DecisionStatus = 200 | 400 | 403 | 404 | 503;

export interface Decision {
  allowed: boolean;
  /** The HTTP status the gate answers with; only 200 lets Flagger go on. */
  status: DecisionStatus;
  code: DecisionCode;
  /** One human sentence, recorded on the Canary's Event and returned to Flagger. */
  reason: string;
  /** The revision under analysis, when known. */
  revision?: string;
  /** Who approved or aborted, when that decided. */
  by?: string;
  /** Flagger's checksum of the analysis asked about (from a well-formed payload). */
  checksum?: string;
}

export interface DecideInput {
  gate: Gate;
  /** The webhook body exactly as received. */
  payload: unknown;
  /** The Canary named by the payload, when the caller found it. */
  canary?: Canary;
  /** The Canary's target Deployment (`spec.targetRef.name`, the green one). */
  target?: V1Deployment;
  /** False until the caller's cache has listed the cluster once: then absence means nothing. */
  synced: boolean;
}

export function decide(input: DecideInput): Decision {
  const parsed = parseWebhookPayload(input.payload);
  if (!parsed.ok) return refuse(400, 'BadPayload', parsed.reason);
  return { ...decideFor(parsed.payload, input), checksum: parsed.payload.checksum };
}

function decideFor(
  payload: WebhookPayload,
  { gate, canary, target, synced }: DecideInput,
): Decision {
  const { namespace, name } = payload;
  const id = `${namespace}/${name}`;

  if (!synced) {
    return refuse(
      503,
      'NotSynced',
      `The gate has not synced with the Kubernetes API yet, so it cannot check Canary ${id}; Flagger will ask again.`,
    );
  }
  if (!canary) {
    return refuse(
      404,
      'UnknownCanary',
      `There is no Canary ${id} among those the gate watches. Check that the webhook reaches the gate of this Canary's cluster and that the gate watches namespace ${namespace} (--namespace, the chart's watchNamespace).`,
    );
  }
  const canaryId = `${canary.metadata?.namespace}/${canary.metadata?.name}`;
  if (canaryId !== id) {
    return refuse(
      404,
      'UnknownCanary',
      `The payload names Canary ${id} but the gate was handed ${canaryId}.`,
    );
  }

  const revision = revisionUnderAnalysis(canary, target, {
    verb: gate === 'rollback' ? 'roll back' : 'promote',
  });
  if (revision instanceof RevisionError) {
    // No target is Flagger pointing at nothing (404); no annotation is nothing to approve (403).
    return revision.problem === 'no-target'
      ? refuse(404, 'UnknownTarget', sentence(revision))
      : refuse(403, 'NoRevision', sentence(revision));
  }

  const subject = { revision, analysis: analysisOf(canary) };
  if (gate === 'promotion') return decidePromotion(canary, target, id, subject, payload.checksum);
  if (gate === 'rollback') return decideRollback(canary, id, subject);
  // Unreachable from typed callers; a caller's typo must not open anything.
  return refuse(400, 'BadPayload', `There is no gate named ${String(gate)}.`, revision);
}

type Analysed = Omit<Subject, 'template'> & { revision: string };

function decidePromotion(
  canary: Canary,
  target: V1Deployment | undefined,
  id: string,
  subject: Analysed,
  checksum: string,
): Decision {
  const { revision, analysis } = subject;
  // An abort of the run under analysis wins over its approval: someone asked for it to be
  // rolled back, and promoting it meanwhile would be the one irreversible mistake.
  const abort = readAbort(canary);
  if (abort && abortApplies(abort, revision, analysis)) {
    return refuse(
      403,
      'Aborted',
      `Revision ${revision} of Canary ${id} was aborted${byWhom(abort.by)}, so it will not be promoted.`,
      revision,
      abort.by,
    );
  }
  const approval = readApproval(canary);
  if (!approval) {
    return refuse(
      403,
      'NotApproved',
      `Nobody has approved revision ${revision} of Canary ${id} yet.`,
      revision,
    );
  }
  // Flagger's checksum in the payload is what it analyses now; a cached Canary whose status
  // says otherwise is behind, and a yes from it would be a yes on stale data.
  if (analysis && analysis.checksum !== checksum) {
    return refuse(
      503,
      'NotSynced',
      `The gate's copy of Canary ${id} is behind Flagger's analysis (checksum ${checksum}); Flagger will ask again.`,
      revision,
    );
  }
  const approved = `The approval of revision ${approval.revision} on Canary ${id}${byWhom(approval.by)}`;
  // Hashed only here, once an approval is there to compare: the refusals Flagger gets every
  // interval while a canary waits never pay for it.
  switch (approvalState(approval, { ...subject, template: templateHash(target) })) {
    case 'other-revision':
      return refuse(
        403,
        'OtherRevision',
        `The approval on Canary ${id} is for revision ${approval.revision}${byWhom(approval.by)}, not for revision ${revision} under analysis.`,
        revision,
        approval.by,
      );
    case 'unbound':
      return refuse(
        403,
        'ApprovalUnbound',
        `${approved} does not say which analysis, pod template and approver it is for (one of ${APPROVED_CHECKSUM}, -analysis, -template, -by is missing: written by hand, edited, or by an older Greenlight); approve again with Greenlight.`,
        revision,
        approval.by,
      );
    case 'used':
      return refuse(
        403,
        'ApprovalUsed',
        `${approved} was given for an earlier analysis, which has since been promoted or rolled back; an approval promotes once, so approve this analysis again.`,
        revision,
        approval.by,
      );
    case 'other-template':
      return refuse(
        403,
        'OtherTemplate',
        `${approved} was given for another pod template than the one Flagger is analysing (checksum ${checksum}) or the Deployment now holds: the Deployment changed under the same revision, so check what changed and approve again.`,
        revision,
        approval.by,
      );
    case 'applies':
      break;
  }
  return allow(
    'Approved',
    `Revision ${revision} of Canary ${id} was approved${byWhom(approval.by)}.`,
    revision,
    approval.by,
  );
}

function decideRollback(canary: Canary, id: string, subject: Analysed): Decision {
  const { revision, analysis } = subject;
  const abort = readAbort(canary);
  if (!abort) {
    return refuse(
      403,
      'NotAborted',
      `Nobody has asked to roll back revision ${revision} of Canary ${id}.`,
      revision,
    );
  }
  if (!abortApplies(abort, revision, analysis)) {
    const which =
      abort.revision === revision
        ? `an earlier analysis of revision ${revision}`
        : `revision ${abort.revision}`;
    return refuse(
      403,
      'OtherRevision',
      `The abort on Canary ${id} is for ${which}${byWhom(abort.by)}, not for the analysis of revision ${revision} under way.`,
      revision,
      abort.by,
    );
  }
  return allow(
    'Aborted',
    `Rollback of revision ${revision} of Canary ${id} was requested${byWhom(abort.by)}.`,
    revision,
    abort.by,
  );
}

/** A core error as one sentence of a webhook answer: "The reason; what to do." */
function sentence(error: RevisionError): string {
  const hint = error.hint ? `; ${error.hint[0]?.toLowerCase()}${error.hint.slice(1)}` : '';
  return `${error.reason[0]?.toUpperCase()}${error.reason.slice(1)}${hint}.`;
}

function byWhom(by?: string): string {
  return by ? ` by ${by}` : '';
}

function allow(code: DecisionCode, reason: string, revision: string, by?: string): Decision {
  return withOptional({ allowed: true, status: 200, code, reason }, revision, by);
}

function refuse(
  status: Exclude<DecisionStatus, 200>,
  code: DecisionCode,
  reason: string,
  revision?: string,
  by?: string,
): Decision {
  return withOptional({ allowed: false, status, code, reason }, revision, by);
}

function withOptional(decision: Decision, revision?: string, by?: string): Decision {
  if (revision !== undefined) decision.revision = revision;
  if (by !== undefined) decision.by = by;
  return decision;
}
