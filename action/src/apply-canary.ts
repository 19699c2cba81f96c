// The Flagger objects for one function, server-side applied (field manager `greenlight`).
import type { KubernetesObject } from '@kubernetes/client-node';
import { FLAGGER_API_VERSION, type Canary } from 'flagger-types';
import {
  clearAbortPatch,
  readAbort,
  renderCanary,
  type CanaryOptions,
  type KubeClient,
} from '@greenlight/core';

export async function applyCanary(
  kube: KubeClient,
  name: string,
  options: CanaryOptions,
): Promise<Canary> {
  const [canary, ...templates] = renderCanary({ name }, options);
  // Templates first, so the Canary never names a MetricTemplate that is not there yet.
  for (const template of templates) await kube.apply(template as KubernetesObject);
  const applied = (await kube.apply(canary as KubernetesObject)) as Canary;
  // An abort names a revision; left in place it would roll back a re-deploy of that same
  // revision at once (approval/annotations.ts clearAbortPatch).
  if (readAbort(applied)) {
    await kube.mergePatch(
      { apiVersion: FLAGGER_API_VERSION, kind: 'Canary', namespace: options.namespace, name },
      clearAbortPatch(),
    );
  }
  // As the API server answered: its status tells where Flagger stands before this deploy.
  return applied;
}

export async function canaryExists(
  kube: KubeClient,
  namespace: string,
  name: string,
): Promise<boolean> {
  return (
    (await kube.get({ apiVersion: FLAGGER_API_VERSION, kind: 'Canary', namespace, name })) !==
    undefined
  );
}
