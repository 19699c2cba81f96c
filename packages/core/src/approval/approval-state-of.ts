import type { V1Deployment } from '@kubernetes/client-node';
import type { Canary } from 'flagger-types';
import { revisionOf } from '../revision.ts';
import { analysisOf, approvalState, type ApprovalState } from './analysis.ts';
import { readApproval } from './annotations.ts';
import { templateHash } from './template.ts';

/**
 * How the approval written on `canary` relates to the run under analysis and to `target`
 * (the Deployment as read): approvalState's answer, or `none` when no approval is written.
 * The one reading of "does an approval apply to this run" for the rollout view and the
 * action's deploy; the gate decides on its own live read (decide.ts). Pure; the target's
 * template is hashed only when there is an approval to compare it with.
 */
export function approvalStateOf(
  canary: Canary,
  target: V1Deployment | undefined,
): ApprovalState | 'none' {
  const approval = readApproval(canary);
  if (!approval) return 'none';
  return approvalState(approval, {
    revision: revisionOf(target),
    template: templateHash(target),
    analysis: analysisOf(canary),
  });
}
