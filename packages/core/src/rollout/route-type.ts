/** The kind and version of the object that carries a Canary's live weights. */
export interface RouteType {
  apiVersion: string;
  kind: 'TrafficSplit' | 'HTTPRoute';
}

/**
 * Where the live weights are: the object Flagger's router for the Canary's provider writes.
 * `linkerd` uses Flagger's SmiRouter, which writes split.smi-spec.io/v1alpha1 TrafficSplits
 * (pkg/router/factory.go); `smi:<version>` names its SMI version; `gatewayapi:<version>`
 * writes Gateway API HTTPRoutes of that version.
 */
export function routeTypeOf(provider: string | undefined): RouteType {
  const [name, version] = (provider ?? '').split(':');
  if (name === 'gatewayapi') {
    return { apiVersion: `gateway.networking.k8s.io/${version || 'v1beta1'}`, kind: 'HTTPRoute' };
  }
  const smiVersion = name === 'smi' && version ? version : 'v1alpha1';
  return { apiVersion: `split.smi-spec.io/${smiVersion}`, kind: 'TrafficSplit' };
}
