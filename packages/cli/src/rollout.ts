import type { KubernetesObject, V1Deployment } from '@kubernetes/client-node';
import type { Canary, HTTPRoute, TrafficSplit } from 'flagger-types';
import { interpret, UserError, type KubeClient, type RolloutView } from '@greenlight/core';
import type { CanaryRef } from './ref.ts';

/**
 * The API version of the object that carries the live weights for a provider.
 * `linkerd` uses Flagger's SmiRouter, which writes split.smi-spec.io/v1alpha1
 * (pkg/router/factory.go); the Gateway API providers name their version.
 */
export function routeApiVersion(provider: string | undefined): { apiVersion: string; kind: string } {
  if (provider?.startsWith('gatewayapi')) {
    const version = provider.split(':')[1] ?? 'v1beta1';
    return { apiVersion: `gateway.networking.k8s.io/${version}`, kind: 'HTTPRoute' };
  }
  const version = provider?.startsWith('smi:') ? provider.split(':')[1] : 'v1alpha1';
  return { apiVersion: `split.smi-spec.io/${version}`, kind: 'TrafficSplit' };
}

/** Reads a Canary and everything its rollout view needs: route, green and blue Deployments. */
export async function loadRollout(kube: KubeClient, ref: CanaryRef): Promise<RolloutView> {
  const canary = await kube.get<Canary & KubernetesObject>({
    apiVersion: 'flagger.app/v1beta1',
    kind: 'Canary',
    ...ref,
  });
  if (!canary) {
    throw new UserError(`Canary ${ref.namespace}/${ref.name} not found`, {
      hint: `Check the name with: kubectl get canaries -n ${ref.namespace}`,
    });
  }
  const target = canary.spec.targetRef.name;
  const deployment = (name: string) =>
    kube.get<V1Deployment>({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: ref.namespace, name });
  const [route, green, blue] = await Promise.all([
    kube.get<(TrafficSplit | HTTPRoute) & KubernetesObject>({
      ...routeApiVersion(canary.spec.provider),
      namespace: ref.namespace,
      name: target,
    }),
    deployment(target),
    deployment(`${target}-primary`),
  ]);
  return interpret({ canary, route, target: green, primary: blue });
}
