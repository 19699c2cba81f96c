import type { V1Deployment } from '@kubernetes/client-node';
import { FLAGGER_API_VERSION, type Canary } from 'flagger-types';
import { KubeApiError } from '../kube/errors.ts';
import type { KubeClient } from '../kube/types.ts';
import { rolloutObjects } from '../rollout/read.ts';
import { promotedOf, recordPatch, type PromotedRevision } from './history.ts';

/**
 * Records on Canary `canary` what its `-primary` Deployment runs, before a deploy or a
 * rollback changes the target: that is the revision Flagger last promoted. Resolves to the
 * entry recorded (or already newest), undefined when the primary runs no stamped revision.
 * A write that lost a race with another one (409) is made again on the newer Canary.
 */
export async function recordPromoted(
  kube: KubeClient,
  canary: Canary,
  now = new Date(),
): Promise<PromotedRevision | undefined> {
  const primary = await kube.get<V1Deployment>(rolloutObjects(canary).primary);
  const promoted = promotedOf(primary, now);
  if (!promoted) return undefined;
  const ref = {
    apiVersion: FLAGGER_API_VERSION,
    kind: 'Canary',
    namespace: canary.metadata?.namespace ?? '',
    name: canary.metadata?.name ?? '',
  };
  let current: Canary | undefined = canary;
  for (let attempt = 1; current; attempt++) {
    const patch = recordPatch(current, promoted);
    if (!patch) return promoted;
    try {
      await kube.mergePatch<Canary>(ref, patch);
      return promoted;
    } catch (error) {
      const lostRace = error instanceof KubeApiError && error.code === 409;
      if (!lostRace || attempt === 3) throw error;
      current = await kube.get<Canary>(ref);
    }
  }
  return undefined;
}
