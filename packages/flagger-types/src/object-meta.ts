import { z } from 'zod';

const StringMap = z.record(z.string(), z.string());

/**
 * The metadata fields Greenlight reads; any other key passes through untouched.
 * `creationTimestamp` becomes a `Date`, as @kubernetes/client-node deserialises it, so every
 * parsed object is also a `KubernetesObject`.
 */
export const ObjectMetaSchema = z.looseObject({
  name: z.string().min(1, { error: 'must not be empty' }),
  namespace: z.string().optional(),
  labels: StringMap.optional(),
  annotations: StringMap.optional(),
  resourceVersion: z.string().optional(),
  uid: z.string().optional(),
  generation: z.int().optional(),
  creationTimestamp: z.coerce.date().optional(),
});
export type ObjectMeta = z.infer<typeof ObjectMetaSchema>;
