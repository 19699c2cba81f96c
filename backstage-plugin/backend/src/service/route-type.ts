import type { ObjectType } from '@greenlight/core';

// The object that carries a Canary's live weights, by provider. `linkerd` and `smi` use
// Flagger's SmiRouter, which writes split.smi-spec.io/v1alpha1 (pkg/router/factory.go);
// `gatewayapi:<version>` writes an HTTPRoute. The backend watches HTTPRoutes in v1beta1,
// which Gateway API's CRD serves alongside v1 for the same objects.

export const TRAFFIC_SPLIT: ObjectType = {
  apiVersion: 'split.smi-spec.io/v1alpha1',
  kind: 'TrafficSplit',
};
export const HTTP_ROUTE: ObjectType = {
  apiVersion: 'gateway.networking.k8s.io/v1beta1',
  kind: 'HTTPRoute',
};

export function routeKind(provider: string | undefined): 'TrafficSplit' | 'HTTPRoute' {
  return (provider ?? '').split(':')[0] === 'gatewayapi' ? 'HTTPRoute' : 'TrafficSplit';
}
