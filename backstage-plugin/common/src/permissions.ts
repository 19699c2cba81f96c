import { createPermission } from '@backstage/plugin-permission-common';

// Greenlight's permissions, declared once for the backend (which enforces them) and the
// frontend (which disables what the user may not do). Each one is about the catalog entity
// that annotates the Canary (`greenlight.dev/canary`), so a policy can grant it to the
// entity's owners with the catalog's own rules (e.g. isEntityOwner).

const resourceType = 'catalog-entity';

/** See a chatbot's rollout, its history and its golden metrics. */
export const rolloutReadPermission = createPermission({
  name: 'greenlight.rollout.read',
  attributes: { action: 'read' },
  resourceType,
});

/** Approve promotion of the revision under analysis (writes the approval annotations). */
export const rolloutApprovePermission = createPermission({
  name: 'greenlight.rollout.approve',
  attributes: { action: 'update' },
  resourceType,
});

/** Ask Flagger to roll the revision under analysis back (writes the abort annotations). */
export const rolloutAbortPermission = createPermission({
  name: 'greenlight.rollout.abort',
  attributes: { action: 'update' },
  resourceType,
});

/**
 * Bring back a revision recorded as promoted (points the target Deployment at it; Flagger
 * analyses it again). Its own permission: rolling back a promoted version is not aborting
 * an analysis, and a policy may grant one without the other.
 */
export const rolloutRollbackPermission = createPermission({
  name: 'greenlight.rollout.rollback',
  attributes: { action: 'update' },
  resourceType,
});

export const greenlightPermissions = [
  rolloutReadPermission,
  rolloutApprovePermission,
  rolloutAbortPermission,
  rolloutRollbackPermission,
];
