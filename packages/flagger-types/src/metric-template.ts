import { z } from 'zod';
import { FLAGGER_API_VERSION, METRIC_PROVIDER_TYPES } from './constants.ts';
import { ObjectMetaSchema } from './object-meta.ts';

// MetricTemplate of Flagger v1.44: the CRD requires spec.provider.type (an enum) and spec.query.

export const MetricTemplateProviderSchema = z.strictObject({
  type: z.enum(METRIC_PROVIDER_TYPES),
  address: z.string().optional(),
  headers: z.record(z.string(), z.array(z.string())).optional(),
  secretRef: z.strictObject({ name: z.string().min(1) }).optional(),
  region: z.string().optional(),
  insecureSkipVerify: z.boolean().optional(),
});

export const MetricTemplateSpecSchema = z.strictObject({
  provider: MetricTemplateProviderSchema,
  query: z.string().min(1, { error: 'must not be empty' }),
});

export const MetricTemplateSchema = z.strictObject({
  apiVersion: z.literal(FLAGGER_API_VERSION),
  kind: z.literal('MetricTemplate'),
  metadata: ObjectMetaSchema,
  spec: MetricTemplateSpecSchema,
  status: z.looseObject({}).optional(),
});

export type MetricTemplate = z.infer<typeof MetricTemplateSchema>;
export type MetricTemplateSpec = z.infer<typeof MetricTemplateSpecSchema>;
