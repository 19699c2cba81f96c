import { z } from 'zod';
import { ObjectMetaSchema } from './object-meta.ts';
import { ParentReferenceSchema } from './parent-reference.ts';

// Gateway API HTTPRoute (standard channel, CRD v1.5.1) as far as Greenlight reads it: the
// parents and the weighted backendRefs Flagger's `gatewayapi:*` providers write. Everything
// else passes through.

export const HTTP_ROUTE_API_VERSIONS = [
  'gateway.networking.k8s.io/v1beta1',
  'gateway.networking.k8s.io/v1',
] as const;

export const HTTPBackendRefSchema = z.looseObject({
  group: z.string().optional(),
  kind: z.string().optional(),
  name: z.string().min(1).max(253),
  namespace: z.string().optional(),
  port: z.int().min(1).max(65535).optional(),
  // CRD: 0..1000000, default 1. Weights are relative to the rule's other backendRefs.
  weight: z.int().min(0).max(1_000_000).optional(),
});
export type HTTPBackendRef = z.infer<typeof HTTPBackendRefSchema>;

export const HTTPRouteRuleSchema = z.looseObject({
  backendRefs: z.array(HTTPBackendRefSchema).max(16).optional(),
});

export const HTTPRouteSchema = z.looseObject({
  apiVersion: z.enum(HTTP_ROUTE_API_VERSIONS),
  kind: z.literal('HTTPRoute'),
  metadata: ObjectMetaSchema,
  spec: z.looseObject({
    parentRefs: z.array(ParentReferenceSchema).max(32).optional(),
    hostnames: z.array(z.string()).max(16).optional(),
    rules: z.array(HTTPRouteRuleSchema).max(16).optional(),
  }),
});
export type HTTPRoute = z.infer<typeof HTTPRouteSchema>;
