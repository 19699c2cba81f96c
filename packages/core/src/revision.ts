import type { V1Deployment } from '@kubernetes/client-node';

// Flagger's `status.lastAppliedSpec` is a Go hash of the whole pod template that TypeScript
// cannot reproduce (docs/design.md, "Flagger facts"), so Greenlight names revisions itself: the action stamps the target
// Deployment's pod template with the commit it ships, and Flagger's promotion copies the
// pod template (annotations included) to `<name>-primary`.

/** On the target Deployment's pod template: the revision (commit) it runs. */
export const REVISION_ANNOTATION = 'greenlight.dev/revision';

// The approval protocol (docs/design.md, "The approval protocol"): annotations on the
// Canary, the single source of truth. Every approval key starts with
// `greenlight.dev/approved-` and every abort key with `greenlight.dev/abort-`, which is what
// the gate chart's ValidatingAdmissionPolicy guards.
/** On the Canary: promotion of exactly this revision is approved. */
export const APPROVED_REVISION = 'greenlight.dev/approved-revision';
/** On the Canary: Flagger's webhook checksum of the analysis approved (its pod template). */
export const APPROVED_CHECKSUM = 'greenlight.dev/approved-checksum';
/** On the Canary: when the analysis approved began (its `Promoted` condition's transition). */
export const APPROVED_ANALYSIS = 'greenlight.dev/approved-analysis';
/** On the Canary: Greenlight's hash of the target's pod template the person approved. */
export const APPROVED_TEMPLATE = 'greenlight.dev/approved-template';
/** On the Canary: who approved it, as the Kubernetes API authenticated the writer. */
export const APPROVED_BY = 'greenlight.dev/approved-by';
/** On the Canary: for whom or why, in the writer's words (GitHub actor, Backstage user, --by). */
export const APPROVED_NOTE = 'greenlight.dev/approved-note';
/** On the Canary: when (RFC 3339). */
export const APPROVED_AT = 'greenlight.dev/approved-at';
/** On the Canary: roll this revision back. */
export const ABORT_REVISION = 'greenlight.dev/abort-revision';
/** On the Canary: the checksum of the analysis under way when the abort was asked for. */
export const ABORT_CHECKSUM = 'greenlight.dev/abort-checksum';
/** On the Canary: when that analysis began: the abort rolls back that run only. */
export const ABORT_ANALYSIS = 'greenlight.dev/abort-analysis';
/** On the Canary: who asked for the rollback, as the Kubernetes API authenticated them. */
export const ABORT_BY = 'greenlight.dev/abort-by';
/** On the Canary: for whom or why, in the writer's words. */
export const ABORT_NOTE = 'greenlight.dev/abort-note';
/** On the Canary: when (RFC 3339). */
export const ABORT_AT = 'greenlight.dev/abort-at';

/** The revision a Deployment's pod template carries, or undefined when it is not stamped. */
export function revisionOf(deployment?: V1Deployment): string | undefined {
  const value = deployment?.spec?.template?.metadata?.annotations?.[REVISION_ANNOTATION];
  return value?.trim() || undefined;
}
