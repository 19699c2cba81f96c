// The one place that says which objects make up a rollout — the Canary, the route with the
// live weights and the two Deployments — and gathers them for interpret(), from single
// reads (readRollout) or from watches kept in memory (rolloutInput, watchRollout).
import type { KubernetesObject, V1Deployment } from '@kubernetes/client-node';
import type { Canary, HTTPRoute, TrafficSplit } from 'flagger-types';
import type { KubeClient, ObjectRef } from '../kube/types.ts';
import { interpret, type InterpretInput } from './interpret.ts';
import { routeTypeOf } from './route-type.ts';
import type { RolloutView } from './view.ts';

export type FlaggerCanary = Canary & KubernetesObject;
export type RouteObject = (TrafficSplit | HTTPRoute) & KubernetesObject;

/** The objects interpret() reads besides the Canary, as references. */
export interface RolloutObjects {
  /** The TrafficSplit or HTTPRoute Flagger writes, named after the target. */
  route: ObjectRef & { kind: 'TrafficSplit' | 'HTTPRoute' };
  /** The target Deployment (green): the revision under analysis. */
  target: ObjectRef;
  /** `<target>-primary` (blue): the promoted revision. */
  primary: ObjectRef;
}

export function rolloutObjects(canary: Canary): RolloutObjects {
  const namespace = canary.metadata?.namespace ?? '';
  const name = canary.spec?.targetRef?.name ?? '';
  const deployment = (name: string) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    namespace,
    name,
  });
  return {
    route: { ...routeTypeOf(canary.spec?.provider), namespace, name },
    target: deployment(name),
    primary: deployment(`${name}-primary`),
  };
}

/** One view of a rollout from single reads (a status command; checks before writes). */
export async function readRollout(kube: KubeClient, canary: Canary): Promise<RolloutView> {
  const objects = rolloutObjects(canary);
  const [route, target, primary] = await Promise.all([
    kube.get<RouteObject>(objects.route),
    kube.get<V1Deployment>(objects.target),
    kube.get<V1Deployment>(objects.primary),
  ]);
  return interpret({ canary, route, target, primary });
}

/** Where watched objects are looked up from memory (an ObjectCache or several). */
export interface RolloutLookup {
  route(ref: RolloutObjects['route']): RouteObject | undefined;
  deployment(ref: ObjectRef): V1Deployment | undefined;
}

/** interpret()'s input for `canary` from objects kept in memory: no request. */
export function rolloutInput(canary: Canary, lookup: RolloutLookup): InterpretInput {
  const objects = rolloutObjects(canary);
  return {
    canary,
    route: lookup.route(objects.route),
    target: lookup.deployment(objects.target),
    primary: lookup.deployment(objects.primary),
  };
}
