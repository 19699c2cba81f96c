import type { KubeClient } from '../kube/types.ts';
import { ABORT_REVISION } from '../revision.ts';
import { approvalPatch, readAbort } from './annotations.ts';
import { abortApplies, analysisOf } from './analysis.ts';
import { describeWriter, writeMark } from './mark.ts';
import type { CanaryRef, MarkOptions, MarkResult } from './mark.ts';

/**
 * Approves promotion of the revision under analysis of Canary `ref`: the gate then answers
 * Flagger's `confirm-promotion` with 200 for exactly that revision, pod template and
 * analysis run, once.
 */
export function approve(
  kube: KubeClient,
  ref: CanaryRef,
  options: MarkOptions,
): Promise<MarkResult> {
  return writeMark(kube, ref, options, {
    verb: 'approve',
    bindsTemplate: true,
    patch: approvalPatch,
    event: (mark) => ({
      type: 'Normal',
      reason: 'PromotionApproved',
      message: `${describeWriter(mark)} approved promotion of revision ${mark.revision} (analysis ${mark.checksum} begun ${mark.analysis})`,
      component: 'greenlight',
    }),
    // The gate lets an abort win over an approval, so approving an aborted revision would
    // be a silent no-op; say so instead.
    conflict: (canary, revision) => {
      // Only an abort of this run wins: one of an earlier run of the same revision (rolled
      // back, then deployed again) no longer acts, so it must not block this approval.
      const abort = readAbort(canary);
      if (!abort || !abortApplies(abort, revision, analysisOf(canary))) return undefined;
      const who = abort.by ? ` by ${abort.by}` : '';
      return {
        message: `revision ${revision} of Canary ${canary.metadata.namespace}/${canary.metadata.name} was aborted${who} and an abort wins over an approval`,
        hint: `Remove the ${ABORT_REVISION} annotation from the Canary if the abort was a mistake (greenlight-gate's admission policy lets only an approver do it)`,
      };
    },
  });
}
