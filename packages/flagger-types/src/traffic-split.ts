import { z } from 'zod';
import { ObjectMetaSchema } from './object-meta.ts';

// SMI TrafficSplit as the Linkerd SMI extension serves it (linkerd-smi v0.2.7 CRD, copied
// from smi-sdk-go). Flagger's `linkerd` provider writes v1alpha1, whose weight is an
// int-or-string that Flagger serialises as a Kubernetes Quantity ("100", "500m").

const Quantity = z.union([
  z.number(),
  z.string().refine((text) => parseWeight(text) !== undefined, {
    error: 'must be a number or a Kubernetes quantity like "500m"',
  }),
]);

const backends = <W extends z.ZodType>(weight: W) =>
  z.array(z.looseObject({ service: z.string().min(1), weight }));

const splitOf = <V extends string, W extends z.ZodType>(apiVersion: V, weight: W) =>
  z.looseObject({
    apiVersion: z.literal(apiVersion),
    kind: z.literal('TrafficSplit'),
    metadata: ObjectMetaSchema,
    spec: z.looseObject({ service: z.string().min(1), backends: backends(weight) }),
  });

export const TrafficSplitV1alpha1Schema = splitOf('split.smi-spec.io/v1alpha1', Quantity);
export const TrafficSplitV1alpha2Schema = splitOf('split.smi-spec.io/v1alpha2', z.int().min(0));
// v1alpha3 adds optional `spec.matches` (references to HTTPRouteGroups); kept as pass-through.
export const TrafficSplitV1alpha3Schema = splitOf('split.smi-spec.io/v1alpha3', z.int().min(0));

export const TrafficSplitSchema = z.discriminatedUnion('apiVersion', [
  TrafficSplitV1alpha1Schema,
  TrafficSplitV1alpha2Schema,
  TrafficSplitV1alpha3Schema,
]);
export type TrafficSplit = z.infer<typeof TrafficSplitSchema>;
export type TrafficSplitBackend = TrafficSplit['spec']['backends'][number];

const SUFFIX: Record<string, number> = {
  '': 1,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/**
 * The number a TrafficSplit backend weight stands for: `100` → 100, `"100"` → 100,
 * `"500m"` → 0.5 (Kubernetes Quantity syntax). Undefined when it is not a quantity.
 */
export function parseWeight(weight: number | string): number | undefined {
  if (typeof weight === 'number') return Number.isFinite(weight) ? weight : undefined;
  const match =
    /^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(?:([eE][+-]?[0-9]+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?)$/.exec(
      weight.trim(),
    );
  if (!match) return undefined;
  const value = Number(match[1] + (match[2] ?? ''));
  return value * (SUFFIX[match[3] ?? ''] as number);
}
