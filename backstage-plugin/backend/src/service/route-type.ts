import type { ObjectType } from '@greenlight/core';

// The objects that carry Canaries' live weights (core's routeTypeOf says which, by
// provider). The backend watches HTTPRoutes in v1beta1,
// which Gateway API's CRD serves alongside v1 for the same objects.

export const TRAFFIC_SPLIT: ObjectType = {
  apiVersion: 'split.smi-spec.io/v1alpha1',
  kind: 'TrafficSplit',
};
export const HTTP_ROUTE: ObjectType = {
  apiVersion: 'gateway.networking.k8s.io/v1beta1',
  kind: 'HTTPRoute',
};
