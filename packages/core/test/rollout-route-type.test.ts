import { routeTypeOf } from '../src/rollout/route-type.ts';

test.each([
  ['linkerd', 'split.smi-spec.io/v1alpha1', 'TrafficSplit'],
  [undefined, 'split.smi-spec.io/v1alpha1', 'TrafficSplit'],
  ['smi:v1alpha2', 'split.smi-spec.io/v1alpha2', 'TrafficSplit'],
  ['smi:v1alpha3', 'split.smi-spec.io/v1alpha3', 'TrafficSplit'],
  ['gatewayapi:v1beta1', 'gateway.networking.k8s.io/v1beta1', 'HTTPRoute'],
  ['gatewayapi:v1', 'gateway.networking.k8s.io/v1', 'HTTPRoute'],
  ['gatewayapi', 'gateway.networking.k8s.io/v1beta1', 'HTTPRoute'],
])('reads the weights of provider %s from %s %s', (provider, apiVersion, kind) => {
  expect(routeTypeOf(provider)).toEqual({ apiVersion, kind });
});
