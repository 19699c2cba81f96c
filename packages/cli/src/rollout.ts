import { FLAGGER_API_VERSION } from 'flagger-types';
import { UserError, type FlaggerCanary, type KubeClient } from '@greenlight/core';
import type { CanaryRef } from './ref.ts';

/** The Canary `ref` names; a missing one is the user's to fix (a typo, a wrong namespace). */
export async function readCanary(kube: KubeClient, ref: CanaryRef): Promise<FlaggerCanary> {
  const canary = await kube.get<FlaggerCanary>({
    apiVersion: FLAGGER_API_VERSION,
    kind: 'Canary',
    ...ref,
  });
  if (!canary) {
    throw new UserError(`Canary ${ref.namespace}/${ref.name} not found`, {
      field: 'NAMESPACE/CANARY',
      hint: `Check the name with: kubectl get canaries -n ${ref.namespace}`,
    });
  }
  return canary;
}
