// The approval protocol (docs/design.md, "The approval protocol"): annotations on the
// Canary, the analysis they bind to, the gate's pure decision, and the two writes.
export {
  REVISION_ANNOTATION,
  APPROVED_REVISION,
  APPROVED_CHECKSUM,
  APPROVED_ANALYSIS,
  APPROVED_TEMPLATE,
  APPROVED_BY,
  APPROVED_NOTE,
  APPROVED_AT,
  ABORT_REVISION,
  ABORT_CHECKSUM,
  ABORT_ANALYSIS,
  ABORT_BY,
  ABORT_NOTE,
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
export {
  MAX_WEBHOOK_METADATA_VALUE_LENGTH,
  parseWebhookPayload,
  webhookPayloadSchema,
} from './payload.ts';
export type { WebhookPayload, PayloadResult } from './payload.ts';
export { decide } from './decide.ts';
export type { Decision, DecisionCode, DecisionStatus, DecideInput, Gate } from './decide.ts';
export { canaryChecksum } from './checksum.ts';
export { abortApplies, analysisOf, approvalState } from './analysis.ts';
export type { Analysis, ApprovalState, Subject } from './analysis.ts';
export { approvalStateOf } from './approval-state-of.ts';
export { canonicalJson, templateHash } from './template.ts';
export { approve } from './approve.ts';
export { abort } from './abort.ts';
export { describeWriter } from './mark.ts';
export { RevisionError, revisionUnderAnalysis } from './under-analysis.ts';
export type { RevisionAsked, RevisionProblem } from './under-analysis.ts';
export type { CanaryRef, MarkOptions, MarkResult } from './mark.ts';
