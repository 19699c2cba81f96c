import type { BackstageCredentials, PermissionsService } from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { ResourcePermission } from '@backstage/plugin-permission-common';
import type { CatalogEntities, EntityCanary } from './catalog-entities.ts';

export interface CanaryId {
  namespace: string;
  name: string;
}

/** An entity that names a Canary in `greenlight.dev/canary`, with the cluster it means. */
export interface Claimant {
  entityRef: string;
  /** Its `greenlight.dev/cluster`, or the first configured cluster when it names none. */
  cluster: string;
}

/**
 * Greenlight's permissions, checked for the calling user against catalog entities (the
 * resource of the `catalog-entity` permissions), so a policy can grant them to an entity's
 * owners. Any entity may claim any Canary in its annotations, so a claim alone gives no
 * right: the Canary's own `greenlight.dev/owner` decides which claimant it belongs to
 * (ownership.ts). This class only answers what the catalog and the permission framework
 * know, never what the cluster holds, so its answers are the same whether a Canary exists.
 */
export class RolloutAccess {
  readonly #permissions: PermissionsService;
  readonly #catalog: CatalogEntities;
  readonly #defaultCluster: string;

  constructor(options: {
    permissions: PermissionsService;
    catalog: CatalogEntities;
    /** The configured clusters' names; an entity without `greenlight.dev/cluster` means the first. */
    clusters: string[];
  }) {
    this.#permissions = options.permissions;
    this.#catalog = options.catalog;
    this.#defaultCluster = options.clusters[0] ?? '';
  }

  /** Every entity that claims Canary `canary` in `cluster` (any cluster when not given). */
  async claimants(canary: CanaryId, cluster?: string): Promise<Claimant[]> {
    return (await this.#catalog.annotated())
      .filter((entity) => entity.namespace === canary.namespace && entity.name === canary.name)
      .map((entity) => this.#claimant(entity))
      .filter((claimant) => cluster === undefined || claimant.cluster === cluster);
  }

  /**
   * The claimants of `canary` the user holds `permission` on: `entityRef` alone when the page
   * names the entity it acts from, else every claimant. Refuses (403) when there is none,
   * before anything is read from the cluster.
   */
  async authorize(
    credentials: BackstageCredentials,
    permission: ResourcePermission<'catalog-entity'>,
    canary: CanaryId & { cluster?: string },
    entityRef: string | undefined,
  ): Promise<{ allowed: Claimant[]; claimants: Claimant[] }> {
    const id = `${canary.namespace}/${canary.name}`;
    const where = canary.cluster ? ` in cluster "${canary.cluster}"` : '';
    const claimants = await this.claimants(canary, canary.cluster);
    let candidates = claimants;
    if (entityRef !== undefined) {
      const wanted = entityRef.toLocaleLowerCase('en-US');
      candidates = claimants.filter((claimant) => claimant.entityRef === wanted);
      if (candidates.length === 0) {
        throw new NotAllowedError(
          `${entityRef} does not annotate Canary ${id}${where} (greenlight.dev/canary), so its permissions do not apply to it. Send the entityRef of the entity that annotates it, or none`,
        );
      }
    }
    if (candidates.length === 0) {
      throw new NotAllowedError(
        `no catalog entity annotates Canary ${id}${where}, so there is nothing to check permissions against; add "greenlight.dev/canary: ${id}" to the annotations of the chatbot's catalog-info.yaml, and deploy the Canary with that entity as its owner (greenlight.dev/owner)`,
      );
    }
    const decisions = await this.#permissions.authorize(
      candidates.map(({ entityRef: resourceRef }) => ({ permission, resourceRef })),
      { credentials },
    );
    const allowed = candidates.filter(
      (_, index) => decisions[index]?.result === AuthorizeResult.ALLOW,
    );
    if (allowed.length === 0) {
      const refs = candidates.map((candidate) => candidate.entityRef);
      const on = refs.length === 1 ? refs[0] : `any of ${refs.join(', ')}`;
      throw new NotAllowedError(
        `you lack the permission ${permission.name} on ${on}, which ${verb(permission)} Canary ${id}; ask an owner of the entity or your Backstage admin for it`,
      );
    }
    return { allowed, claimants };
  }

  /** Which of `entityRefs` the user holds `permission` on: one batch of permission checks. */
  async allowedOf(
    credentials: BackstageCredentials,
    permission: ResourcePermission<'catalog-entity'>,
    entityRefs: string[],
  ): Promise<Set<string>> {
    const unique = [...new Set(entityRefs)];
    if (unique.length === 0) return new Set();
    const decisions = await this.#permissions.authorize(
      unique.map((resourceRef) => ({ permission, resourceRef })),
      { credentials },
    );
    return new Set(unique.filter((_, index) => decisions[index]?.result === AuthorizeResult.ALLOW));
  }

  /** Every claim in the catalog, each with the cluster it means: one catalog request. */
  async allClaims(): Promise<(Claimant & CanaryId)[]> {
    return (await this.#catalog.annotated()).map((entity) => ({
      ...this.#claimant(entity),
      namespace: entity.namespace,
      name: entity.name,
    }));
  }

  #claimant(entity: EntityCanary): Claimant {
    return {
      // Backstage's toLocaleLowerCase('en-US') is toLowerCase (only lt, tr and az lower
      // differently), without its cost per call: here once per claim per fleet page.
      entityRef: entity.entityRef.toLowerCase(),
      cluster: entity.cluster ?? this.#defaultCluster,
    };
  }
}

function verb(permission: ResourcePermission): string {
  if (permission.name.endsWith('.approve')) return 'approves promotions of';
  if (permission.name.endsWith('.abort')) return 'rolls back';
  if (permission.name.endsWith('.rollback')) return 'brings back earlier revisions of';
  return 'shows';
}
