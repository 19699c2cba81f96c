import type { KubernetesObject, V1Deployment } from '@kubernetes/client-node';
import { FLAGGER_API_VERSION, type Canary, type HTTPRoute, type TrafficSplit } from 'flagger-types';
import {
  interpret,
  routeTypeOf,
  UserError,
  type KubeClient,
  type RolloutView,
} from '@greenlight/core';
import type { CanaryRef } from './ref.ts';

export type FlaggerCanary = Canary & KubernetesObject;
export type Route = (TrafficSplit | HTTPRoute) & KubernetesObject;

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

/** Reads what a rollout view needs besides the Canary: route, green and blue Deployments. */
export async function readRollout(kube: KubeClient, canary: FlaggerCanary): Promise<RolloutView> {
  const namespace = canary.metadata.namespace ?? '';
  const target = canary.spec.targetRef.name;
  const deployment = (name: string) =>
    kube.get<V1Deployment>({ apiVersion: 'apps/v1', kind: 'Deployment', namespace, name });
  const [route, green, blue] = await Promise.all([
    kube.get<Route>({ ...routeTypeOf(canary.spec.provider), namespace, name: target }),
    deployment(target),
    deployment(`${target}-primary`),
  ]);
  return interpret({ canary, route, target: green, primary: blue });
}
