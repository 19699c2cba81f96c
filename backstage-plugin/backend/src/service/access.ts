import type { BackstageCredentials, PermissionsService } from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { ResourcePermission } from '@backstage/plugin-permission-common';
import type { CatalogEntities, EntityCanary } from './catalog-entities.ts';

export interface CanaryId {
  cluster: string;
  namespace: string;
  name: string;
}

/**
 * Greenlight's permissions, checked for the calling user against the catalog entity that
 * annotates the Canary (the resource of the `catalog-entity` permissions), so a policy can
 * grant them to the entity's owners. A Canary that no entity annotates has no resource to
 * check against and is refused, with the annotation to add.
 */
export class RolloutAccess {
  readonly #permissions: PermissionsService;
  readonly #catalog: CatalogEntities;

  constructor(options: { permissions: PermissionsService; catalog: CatalogEntities }) {
    this.#permissions = options.permissions;
    this.#catalog = options.catalog;
  }

  /**
   * Checks `permission` on one Canary and returns the entity it was checked against:
   * `entityRef`, the entity the user acts from, once the catalog confirms that it
   * annotates this very Canary; without one, the entity that annotates it.
   */
  async check(
    credentials: BackstageCredentials,
    permission: ResourcePermission<'catalog-entity'>,
    canary: CanaryId,
    entityRef: string | undefined,
  ): Promise<string> {
    const id = `${canary.namespace}/${canary.name}`;
    const resourceRef = await this.#entityOf(canary, entityRef);
    const [decision] = await this.#permissions.authorize([{ permission, resourceRef }], {
      credentials,
    });
    if (decision?.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `you lack the permission ${permission.name} on ${resourceRef}, which ${verb(permission)} Canary ${id}; ask an owner of the entity or your Backstage admin for it`,
      );
    }
    return resourceRef;
  }

  /**
   * The Canaries the user may read, with their entities: one catalog request and one
   * batch of permission checks, whatever the fleet's size. `unlisted` counts Canaries
   * that no entity annotates.
   */
  async readable<T extends CanaryId>(
    credentials: BackstageCredentials,
    permission: ResourcePermission<'catalog-entity'>,
    canaries: T[],
  ): Promise<{ allowed: (T & { entityRef: string })[]; unlisted: number }> {
    const annotated = await this.#catalog.annotated();
    const listed = canaries.flatMap((canary) => {
      const entity = annotated.find((candidate) => sameCanary(candidate, canary));
      return entity ? [{ ...canary, entityRef: entity.entityRef }] : [];
    });
    const decisions =
      listed.length === 0
        ? []
        : await this.#permissions.authorize(
            listed.map(({ entityRef }) => ({ permission, resourceRef: entityRef })),
            { credentials },
          );
    return {
      allowed: listed.filter((_, index) => decisions[index]?.result === AuthorizeResult.ALLOW),
      unlisted: canaries.length - listed.length,
    };
  }

  async #entityOf(canary: CanaryId, entityRef: string | undefined): Promise<string> {
    const id = `${canary.namespace}/${canary.name}`;
    if (entityRef !== undefined) {
      const annotated = await this.#catalog.canaryOf(entityRef);
      if (!annotated || !sameCanary(annotated, canary)) {
        throw new NotAllowedError(
          `${entityRef} does not annotate Canary ${id} (greenlight.dev/canary), so its permissions do not apply to it. Send the entityRef of the entity that annotates it, or none`,
        );
      }
      return annotated.entityRef;
    }
    const entity = (await this.#catalog.annotated()).find((candidate) =>
      sameCanary(candidate, canary),
    );
    if (!entity) {
      throw new NotAllowedError(
        `no catalog entity annotates Canary ${id}, so there is nothing to check permissions against; add "greenlight.dev/canary: ${id}" to the annotations of the chatbot's catalog-info.yaml`,
      );
    }
    return entity.entityRef;
  }
}

function sameCanary(entity: EntityCanary, canary: CanaryId): boolean {
  return (
    entity.namespace === canary.namespace &&
    entity.name === canary.name &&
    (entity.cluster === undefined || entity.cluster === canary.cluster)
  );
}

function verb(permission: ResourcePermission): string {
  if (permission.name.endsWith('.approve')) return 'approves promotions of';
  if (permission.name.endsWith('.abort')) return 'rolls back';
  return 'shows';
}
