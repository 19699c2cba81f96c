import { describe, expect, test } from '@jest/globals';
import { parseWeight, validateHTTPRoute, validateTrafficSplit } from '../src/index.ts';

// TrafficSplit: linkerd-smi v0.2.7 CRD (v1alpha1 weight int-or-string, v1alpha2 number).
// HTTPRoute: Gateway API v1.5.1 standard CRD (backendRefs[].weight 0..1000000).

const split = (apiVersion: string, weights: [unknown, unknown]) => ({
  apiVersion,
  kind: 'TrafficSplit',
  metadata: { name: 'bot', namespace: 'openfaas-fn' },
  spec: {
    service: 'bot',
    backends: [
      { service: 'bot-primary', weight: weights[0] },
      { service: 'bot-canary', weight: weights[1] },
    ],
  },
});

describe('validateTrafficSplit', () => {
  test('accepts v1alpha1 weights as Quantity strings, the way Flagger writes them', () => {
    const result = validateTrafficSplit(split('split.smi-spec.io/v1alpha1', ['90', '500m']));
    expect(
      result.ok && result.value.spec.backends.map((b) => parseWeight(b.weight as string)),
    ).toEqual([90, 0.5]);
  });

  test('accepts v1alpha1 weights as integers', () => {
    expect(validateTrafficSplit(split('split.smi-spec.io/v1alpha1', [90, 10])).ok).toBe(true);
  });

  test('refuses v1alpha2 weights that are strings (the v1alpha2 CRD types weight as number)', () => {
    const result = validateTrafficSplit(split('split.smi-spec.io/v1alpha2', ['90', '10']));
    expect(!result.ok && result.issues.map((issue) => issue.path)).toEqual([
      'spec.backends[0].weight',
      'spec.backends[1].weight',
    ]);
  });

  test('accepts v1alpha3 with integer weights', () => {
    expect(validateTrafficSplit(split('split.smi-spec.io/v1alpha3', [50, 50])).ok).toBe(true);
  });

  test('refuses a v1alpha1 weight that is not a quantity', () => {
    const result = validateTrafficSplit(split('split.smi-spec.io/v1alpha1', ['ninety', 10]));
    expect(!result.ok && result.issues[0]?.path).toBe('spec.backends[0].weight');
  });

  test('refuses a backend without a service (CRD backends.required: service, weight)', () => {
    const ts = split('split.smi-spec.io/v1alpha1', [90, 10]);
    ts.spec.backends[0] = { weight: 90 } as never;
    const result = validateTrafficSplit(ts);
    expect(!result.ok && result.issues[0]).toEqual({
      path: 'spec.backends[0].service',
      message: 'is required',
    });
  });
});

describe('parseWeight', () => {
  test.each([
    [100, 100],
    ['100', 100],
    ['500m', 0.5],
    ['1k', 1000],
    ['1e2', 100],
    ['0.5', 0.5],
    ['', undefined],
    ['10%', undefined],
  ])('reads %p as %p', (input, expected) => {
    expect(parseWeight(input)).toBe(expected);
  });
});

describe('validateHTTPRoute', () => {
  const route = (apiVersion: string, weights: [number, number]) => ({
    apiVersion,
    kind: 'HTTPRoute',
    metadata: { name: 'bot', namespace: 'openfaas-fn' },
    spec: {
      parentRefs: [
        { name: 'bot', namespace: 'openfaas-fn', group: 'core', kind: 'Service', port: 8080 },
      ],
      rules: [
        {
          matches: [{ path: { type: 'PathPrefix', value: '/' } }],
          backendRefs: [
            { group: '', kind: 'Service', name: 'bot-primary', port: 8080, weight: weights[0] },
            { group: '', kind: 'Service', name: 'bot-canary', port: 8080, weight: weights[1] },
          ],
        },
      ],
    },
  });

  test.each(['gateway.networking.k8s.io/v1beta1', 'gateway.networking.k8s.io/v1'])(
    'accepts the route Flagger writes for a Service parent (%s)',
    (apiVersion) => {
      const result = validateHTTPRoute(route(apiVersion, [90, 10]));
      expect(
        result.ok && result.value.spec.rules?.[0]?.backendRefs?.map((b) => [b.name, b.weight]),
      ).toEqual([
        ['bot-primary', 90],
        ['bot-canary', 10],
      ]);
    },
  );

  test('refuses a weight above the CRD maximum of 1000000', () => {
    const result = validateHTTPRoute(route('gateway.networking.k8s.io/v1', [2_000_000, 0]));
    expect(!result.ok && result.issues[0]).toEqual({
      path: 'spec.rules[0].backendRefs[0].weight',
      message: 'must be at most 1000000',
    });
  });

  test("refuses another group's apiVersion", () => {
    const result = validateHTTPRoute(route('gateway.networking.k8s.io/v1alpha2', [90, 10]));
    expect(!result.ok && result.issues[0]?.path).toBe('apiVersion');
  });
});
