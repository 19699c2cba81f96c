// One view of a rollout from single reads (the status command; checks before writes).
import type { V1Deployment } from '@kubernetes/client-node';
import type { Canary, HTTPRoute, TrafficSplit } from 'flagger-types';
import { interpret, type KubeClient, type RolloutView } from '@greenlight/core';
import { routeTypeOf } from './routes.ts';

export async function readRollout(kube: KubeClient, canary: Canary): Promise<RolloutView> {
  const namespace = canary.metadata.namespace ?? '';
  const target = canary.spec.targetRef.name;
  const deployment = (name: string) =>
    kube.get<V1Deployment>({ apiVersion: 'apps/v1', kind: 'Deployment', namespace, name });
  const [route, green, blue] = await Promise.all([
    kube.get<TrafficSplit | HTTPRoute>({
      ...routeTypeOf(canary.spec.provider),
      namespace,
      name: target,
    }),
    deployment(target),
    deployment(`${target}-primary`),
  ]);
  return interpret({ canary, route, target: green, primary: blue });
}
