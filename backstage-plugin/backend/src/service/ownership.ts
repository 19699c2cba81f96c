import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import type { ResourcePermission } from '@backstage/plugin-permission-common';
import {
  OWNER_ANNOTATION,
  parseOwnerAnnotation,
} from '@greenlight/backstage-plugin-greenlight-common';
import type { Ownership } from '@greenlight/backstage-plugin-greenlight-common';
import type { CanaryId, Claimant, RolloutAccess } from './access.ts';
import type { FlaggerCanary } from './cluster-watch.ts';
import type { FoundRollout, RolloutCache } from './rollout-cache.ts';

// One owner per Canary (docs/design.md, the approval protocol): an entity names a Canary in
// its `greenlight.dev/canary`, which anyone who may edit an entity can do; the Canary names
// the entity it belongs to in `greenlight.dev/owner`, which only those who deploy it write.
// A claim counts only where the two agree.

export interface OwnedRollout {
  found: FoundRollout;
  /** The entity whose permission was checked: the owner, or a claimant of an unowned Canary. */
  entityRef: string;
  ownership: Ownership;
}

/** The owner a Canary names, in the catalog's form, or undefined when it names none. */
export function ownerOf(canary: FlaggerCanary): string | undefined {
  return parseOwnerAnnotation(canary.metadata?.annotations?.[OWNER_ANNOTATION]);
}

/**
 * One Canary for a user: the permission is checked on its claimants first (403 the same
 * whether the Canary exists), then the cluster is read. A Canary that exists but is owned by
 * another entity answers exactly like one that does not (404), so holding a permission on
 * one's own entity tells nothing about other teams' Canaries. An unowned Canary is shown
 * (`read`) but never approved or rolled back (`mark`): the refusal names its claimants.
 */
export async function ownedRollout(
  deps: { access: RolloutAccess; rollouts: RolloutCache },
  credentials: BackstageCredentials,
  permission: ResourcePermission<'catalog-entity'>,
  request: CanaryId & { cluster?: string },
  entityRef: string | undefined,
  mode: 'read' | 'mark',
): Promise<OwnedRollout> {
  const { namespace, name } = request;
  const id = `${namespace}/${name}`;
  deps.rollouts.checkCluster(request.cluster);
  const { allowed, claimants } = await deps.access.authorize(
    credentials,
    permission,
    request,
    entityRef,
  );
  for (const candidate of allowed) {
    const found = await deps.rollouts.lookup(candidate.cluster, namespace, name);
    if (!found) continue;
    const owner = ownerOf(found.canary);
    const ownership = { owner: owner ?? null, claimants: refsIn(claimants, candidate.cluster) };
    if (owner === candidate.entityRef) return { found, entityRef: owner, ownership };
    if (owner !== undefined) continue;
    if (mode === 'read') return { found, entityRef: candidate.entityRef, ownership };
    throw new NotAllowedError(
      `Canary ${id} in cluster "${candidate.cluster}" has no owner: its ${OWNER_ANNOTATION} annotation is missing or not an entity ref, and ${claimedBy(ownership.claimants)} (greenlight.dev/canary), so no entity's permissions apply to it. Set the owner where the Canary is deployed: the Greenlight action's "owner" input, "greenlight render --owner", or the chatbot chart's "owner" value, e.g. ${ownership.claimants[0]}`,
    );
  }
  const of = allowed.map((candidate) => candidate.entityRef).join(' or ');
  const clusters = [...new Set(allowed.map((candidate) => candidate.cluster))].join(', ');
  throw new NotFoundError(
    `there is no Canary ${id} owned by ${of} in cluster ${clusters}; it is not deployed yet, or its ${OWNER_ANNOTATION} annotation names another entity (the entities whose greenlight.dev/canary names it: ${refsIn(claimants).join(', ')}). If it should exist, deploy it with owner ${allowed[0]?.entityRef ?? ''} (the Greenlight action's "owner" input, "greenlight render --owner", or the chatbot chart's "owner" value), and check the greenlight.dev/canary annotation`,
  );
}

/**
 * The fleet's Canaries the user may read, each with the entity read permission was checked
 * on: its owner when that entity claims it, any claimant the user may read when it has no
 * owner. One catalog request and one batch of permission checks. `unlisted` counts the
 * Canaries without such an entity (nobody claims them, or their owner does not).
 */
export async function readableFleet(
  access: RolloutAccess,
  credentials: BackstageCredentials,
  permission: ResourcePermission<'catalog-entity'>,
  fleet: FoundRollout[],
): Promise<{ allowed: OwnedRollout[]; unlisted: number }> {
  // Indexed once: looking each Canary's claims up by filtering would cost Canaries × claims.
  const claimsOf = new Map<string, Claimant[]>();
  for (const claim of await access.allClaims()) {
    const key = `${claim.cluster}/${claim.namespace}/${claim.name}`;
    const known = claimsOf.get(key);
    if (known) known.push(claim);
    else claimsOf.set(key, [claim]);
  }
  const rows = fleet.map((found) => {
    const { namespace = '', name = '' } = found.canary.metadata ?? {};
    const claimants = refsIn(claimsOf.get(`${found.cluster.name}/${namespace}/${name}`) ?? []);
    const owner = ownerOf(found.canary);
    const entities = owner === undefined ? claimants : claimants.filter((ref) => ref === owner);
    return { found, entities, ownership: { owner: owner ?? null, claimants } };
  });
  const readable = await access.allowedOf(
    credentials,
    permission,
    rows.flatMap((row) => row.entities),
  );
  const allowed = rows.flatMap(({ found, entities, ownership }) => {
    const entityRef = entities.find((ref) => readable.has(ref));
    return entityRef ? [{ found, entityRef, ownership }] : [];
  });
  return { allowed, unlisted: rows.filter((row) => row.entities.length === 0).length };
}

function refsIn(claimants: Claimant[], cluster?: string): string[] {
  const refs = claimants
    .filter((claimant) => cluster === undefined || claimant.cluster === cluster)
    .map((claimant) => claimant.entityRef);
  return [...new Set(refs)];
}

function claimedBy(refs: string[]): string {
  return refs.length === 1 ? `only ${refs[0]} claims it` : `${refs.join(', ')} all claim it`;
}
