import type { Entity } from '@backstage/catalog-model';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  CANARY_ANNOTATION,
  CLUSTER_ANNOTATION,
  GITHUB_SLUG_ANNOTATION,
  parseCanaryAnnotation,
} from '@greenlight/backstage-plugin-greenlight-common';
import type { RolloutRef } from '../api/GreenlightApi.ts';

/** Whether the entity names a Canary: the tab and the card show only then. */
export function isGreenlightAvailable(entity: Entity): boolean {
  return parseCanaryAnnotation(entity.metadata.annotations?.[CANARY_ANNOTATION]) !== undefined;
}

/** The rollout an entity's annotations name, or undefined when they name none. */
export function rolloutRefOf(entity: Entity): RolloutRef | undefined {
  const annotations = entity.metadata.annotations ?? {};
  const canary = parseCanaryAnnotation(annotations[CANARY_ANNOTATION]);
  if (!canary) return undefined;
  const cluster = annotations[CLUSTER_ANNOTATION];
  return { ...canary, ...(cluster ? { cluster } : {}), entityRef: stringifyEntityRef(entity) };
}

export function slugOf(entity: Entity): string | undefined {
  return entity.metadata.annotations?.[GITHUB_SLUG_ANNOTATION] || undefined;
}
