import type { V1Deployment } from '@kubernetes/client-node';
import type { Canary } from 'flagger-types';
import { templateHash } from '../approval/template.ts';
import { revisionOf } from '../revision.ts';

// Which revisions were promoted, kept on the Canary (docs/design.md, "Rollback after
// promotion"). The deploy records what `<name>-primary` runs just before it changes the
// target, and a rollback does the same: the primary is what Flagger last promoted, so the
// record needs nobody to have watched the promotion, and it survives every restart.

/** On the Canary: JSON list of the revisions seen promoted, oldest first. */
export const PROMOTED_HISTORY = 'greenlight.dev/promoted-history';

/** How many promoted revisions the Canary keeps. */
export const PROMOTED_HISTORY_LIMIT = 10;

/** One revision as `<name>-primary` ran it. */
export interface PromotedRevision {
  revision: string;
  /** Each container's image, by container name (Flagger copies the target's names). */
  images: Record<string, string>;
  /** Greenlight's sha256 of the primary's pod template then (what ran, for the audit). */
  template?: string;
  /** When Greenlight recorded it serving, RFC 3339. */
  at: string;
}

/** What the primary runs, or undefined when it runs no stamped revision. */
export function promotedOf(
  primary: V1Deployment | undefined,
  now: Date,
): PromotedRevision | undefined {
  const revision = revisionOf(primary);
  const containers = primary?.spec?.template?.spec?.containers ?? [];
  const images = Object.fromEntries(
    containers.filter((c) => c.image).map((c) => [c.name, c.image as string]),
  );
  if (!revision || Object.keys(images).length === 0) return undefined;
  const template = templateHash(primary);
  return { revision, images, ...(template ? { template } : {}), at: now.toISOString() };
}

/** The history on `canary`, oldest first; entries that are not well formed are left out. */
export function readPromotedHistory(canary: Canary | undefined): PromotedRevision[] {
  const text = canary?.metadata?.annotations?.[PROMOTED_HISTORY];
  if (!text) return [];
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return [];
  }
  return Array.isArray(value) ? value.filter(isPromoted) : [];
}

/**
 * The merge patch that adds `promoted` as the newest entry (an earlier entry of the same
 * revision and images moves up), or undefined when it is the newest already. The patch
 * carries the Canary's resourceVersion, so two writers never drop each other's entry.
 */
export function recordPatch(canary: Canary, promoted: PromotedRevision): object | undefined {
  const history = readPromotedHistory(canary);
  const newest = history.at(-1);
  if (newest && sameRun(newest, promoted)) return undefined;
  const kept = history.filter((entry) => !sameRun(entry, promoted));
  const next = [...kept, promoted].slice(-PROMOTED_HISTORY_LIMIT);
  return {
    metadata: {
      resourceVersion: canary.metadata?.resourceVersion,
      annotations: { [PROMOTED_HISTORY]: JSON.stringify(next) },
    },
  };
}

function sameRun(a: PromotedRevision, b: PromotedRevision): boolean {
  return a.revision === b.revision && sameImages(a.images, b.images);
}

function sameImages(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}

function isPromoted(value: unknown): value is PromotedRevision {
  const entry = value as PromotedRevision;
  return (
    typeof entry === 'object' &&
    entry !== null &&
    typeof entry.revision === 'string' &&
    entry.revision.length > 0 &&
    typeof entry.at === 'string' &&
    typeof entry.images === 'object' &&
    entry.images !== null &&
    Object.values(entry.images).every((image) => typeof image === 'string')
  );
}
