import type { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import type { Entity } from '@backstage/catalog-model';
import { ServiceUnavailableError } from '@backstage/errors';
import {
  CANARY_ANNOTATION,
  CLUSTER_ANNOTATION,
  parseCanaryAnnotation,
} from '@greenlight/backstage-plugin-greenlight-common';

export interface EntityCanary {
  entityRef: string;
  namespace: string;
  name: string;
  cluster?: string;
}

/**
 * Which catalog entity annotates which Canary, asked of the catalog over its REST API
 * with the plugin's own service credentials. The permission checks are about that entity,
 * so the backend never takes the caller's word for which entity a Canary belongs to.
 */
export class CatalogEntities {
  readonly #discovery: DiscoveryService;
  readonly #auth: AuthService;

  constructor(options: { discovery: DiscoveryService; auth: AuthService }) {
    this.#discovery = options.discovery;
    this.#auth = options.auth;
  }

  /** The Canary an entity annotates, or undefined when it names none. */
  async canaryOf(entityRef: string): Promise<EntityCanary | undefined> {
    let ref;
    try {
      ref = parseEntityRef(entityRef);
    } catch {
      return undefined;
    }
    const path = `/entities/by-name/${[ref.kind, ref.namespace, ref.name].map(encodeURIComponent).join('/')}`;
    const entity = await this.#get<Entity>(path, true);
    return entity ? canaryOf(entity) : undefined;
  }

  /** Every entity that annotates a Canary, in one request. */
  async annotated(): Promise<EntityCanary[]> {
    const fields = ['kind', 'metadata.namespace', 'metadata.name', 'metadata.annotations'];
    const query = new URLSearchParams({ filter: `metadata.annotations.${CANARY_ANNOTATION}` });
    for (const field of fields) query.append('fields', field);
    const entities = (await this.#get<Entity[]>(`/entities?${query}`, false)) ?? [];
    return entities.flatMap((entity) => canaryOf(entity) ?? []);
  }

  async #get<T>(path: string, allowMissing: boolean): Promise<T | undefined> {
    try {
      const base = await this.#discovery.getBaseUrl('catalog');
      const { token } = await this.#auth.getPluginRequestToken({
        onBehalfOf: await this.#auth.getOwnServiceCredentials(),
        targetPluginId: 'catalog',
      });
      const response = await fetch(`${base}${path}`, {
        headers: { authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(10_000),
      });
      if (allowMissing && response.status === 404) return undefined;
      if (!response.ok) throw new Error(`the catalog answered HTTP ${response.status}`);
      return (await response.json()) as T;
    } catch (error) {
      throw new ServiceUnavailableError(
        `Greenlight could not ask the catalog which entity owns a Canary (${(error as Error).message}); permissions are checked against that entity, so the request is refused`,
      );
    }
  }
}

function canaryOf(entity: Entity): EntityCanary | undefined {
  const annotations = entity.metadata?.annotations ?? {};
  const canary = parseCanaryAnnotation(annotations[CANARY_ANNOTATION]);
  if (!canary) return undefined;
  const cluster = annotations[CLUSTER_ANNOTATION];
  return { entityRef: stringifyEntityRef(entity), ...canary, ...(cluster ? { cluster } : {}) };
}
