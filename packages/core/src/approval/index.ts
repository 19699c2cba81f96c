// The approval protocol (DESIGN.md §3): annotations on the Canary, the gate's pure
// decision, and the two writes (approve, abort).
export {
  REVISION_ANNOTATION,
  APPROVED_REVISION,
  APPROVED_BY,
  APPROVED_AT,
  ABORT_REVISION,
  ABORT_BY,
  ABORT_AT,
  revisionOf,
} from '../revision.ts';
export {
  approvalPatch,
  abortPatch,
  clearAbortPatch,
  readApproval,
  readAbort,
} from './annotations.ts';
export type { RevisionMark, MarkInput } from './annotations.ts';
export { parseWebhookPayload, webhookPayloadSchema } from './payload.ts';
export type { WebhookPayload, PayloadResult } from './payload.ts';
export { decide } from './decide.ts';
export type { Decision, DecisionCode, DecisionStatus, DecideInput, Gate } from './decide.ts';
export { approve } from './approve.ts';
export { abort } from './abort.ts';
export type { CanaryRef, MarkOptions, MarkResult } from './mark.ts';
