import type { V1Deployment } from '@kubernetes/client-node';

// Flagger's `status.lastAppliedSpec` is a Go-specific hash TypeScript cannot reproduce
// (DESIGN.md §2), so Greenlight names revisions itself: the action stamps the target
// Deployment's pod template with the commit it ships, and Flagger's promotion copies the
// pod template (annotations included) to `<name>-primary`.

/** On the target Deployment's pod template: the revision (commit) it runs. */
export const REVISION_ANNOTATION = 'greenlight.dev/revision';

// The approval protocol (DESIGN.md §3): annotations on the Canary, the single source of truth.
/** On the Canary: promotion of exactly this revision is approved. */
export const APPROVED_REVISION = 'greenlight.dev/approved-revision';
/** On the Canary: who approved it. */
export const APPROVED_BY = 'greenlight.dev/approved-by';
/** On the Canary: when (RFC 3339). */
export const APPROVED_AT = 'greenlight.dev/approved-at';
/** On the Canary: roll this revision back. */
export const ABORT_REVISION = 'greenlight.dev/abort-revision';
/** On the Canary: who asked for the rollback. */
export const ABORT_BY = 'greenlight.dev/abort-by';
/** On the Canary: when (RFC 3339). */
export const ABORT_AT = 'greenlight.dev/abort-at';

/** The revision a Deployment's pod template carries, or undefined when it is not stamped. */
export function revisionOf(deployment?: V1Deployment): string | undefined {
  const value = deployment?.spec?.template?.metadata?.annotations?.[REVISION_ANNOTATION];
  return value?.trim() || undefined;
}
