import type { KubeClient } from '../kube/types.ts';
import { abortPatch } from './annotations.ts';
import { describeWriter, writeMark } from './mark.ts';
import type { CanaryRef, MarkOptions, MarkResult } from './mark.ts';

/**
 * Asks for the revision under analysis of Canary `ref` to be rolled back: the gate then
 * answers Flagger's `rollback` webhook with 200 for exactly that revision, and refuses its
 * promotion.
 */
export function abort(kube: KubeClient, ref: CanaryRef, options: MarkOptions): Promise<MarkResult> {
  return writeMark(kube, ref, options, {
    verb: 'abort',
    bindsTemplate: false,
    patch: abortPatch,
    event: (mark) => ({
      type: 'Warning',
      reason: 'RollbackRequested',
      message: `${describeWriter(mark)} asked to roll back revision ${mark.revision}`,
      component: 'greenlight',
    }),
  });
}
