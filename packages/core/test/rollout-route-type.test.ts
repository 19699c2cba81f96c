import { routeTypeOf } from '../src/rollout/route-type.ts';
import { rolloutObjects } from '../src/rollout/read.ts';

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

test('a rollout is read from the route and the two Deployments named after its target, in the Canary’s namespace', () => {
  const canary = {
    apiVersion: 'flagger.app/v1beta1',
    kind: 'Canary',
    metadata: { name: 'bot', namespace: 'fn' },
    spec: { provider: 'smi:v1alpha3', targetRef: { kind: 'Deployment', name: 'chatbot' } },
  } as unknown as Parameters<typeof rolloutObjects>[0];
  expect(rolloutObjects(canary)).toEqual({
    route: {
      apiVersion: 'split.smi-spec.io/v1alpha3',
      kind: 'TrafficSplit',
      namespace: 'fn',
      name: 'chatbot',
    },
    target: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'fn', name: 'chatbot' },
    primary: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: 'fn',
      name: 'chatbot-primary',
    },
  });
});
