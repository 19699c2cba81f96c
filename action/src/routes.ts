// Where the live weights are: the object Flagger's router for the Canary's provider writes.
// `linkerd` (and `smi`) use Flagger's SmiRouter, which writes split.smi-spec.io/v1alpha1
// TrafficSplits (pkg/router/factory.go); `gatewayapi:<version>` writes HTTPRoutes.

export interface RouteType {
  apiVersion: string;
  kind: 'TrafficSplit' | 'HTTPRoute';
}

export function routeTypeOf(provider: string | undefined): RouteType {
  const [name, version] = (provider ?? '').split(':');
  if (name === 'gatewayapi') {
    return { apiVersion: `gateway.networking.k8s.io/${version || 'v1beta1'}`, kind: 'HTTPRoute' };
  }
  return { apiVersion: 'split.smi-spec.io/v1alpha1', kind: 'TrafficSplit' };
}
