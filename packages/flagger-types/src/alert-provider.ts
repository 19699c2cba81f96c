import { z } from 'zod';
import { ALERT_PROVIDER_TYPES, FLAGGER_API_VERSION } from './constants.ts';
import { ObjectMetaSchema } from './object-meta.ts';

// AlertProvider of Flagger v1.44. The CRD's oneOf requires `type` with `address` or with
// `secretRef`, not both.

export const AlertProviderSpecSchema = z
  .strictObject({
    type: z.enum(ALERT_PROVIDER_TYPES),
    channel: z.string().optional(),
    username: z.string().optional(),
    address: z.string().optional(),
    proxy: z.string().optional(),
    secretRef: z.strictObject({ name: z.string().min(1) }).optional(),
  })
  .superRefine((spec, ctx) => {
    if ((spec.address === undefined) === (spec.secretRef === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: 'must set exactly one of address or secretRef (CRD oneOf)',
      });
    }
  });

export const AlertProviderSchema = z.strictObject({
  apiVersion: z.literal(FLAGGER_API_VERSION),
  kind: z.literal('AlertProvider'),
  metadata: ObjectMetaSchema,
  spec: AlertProviderSpecSchema,
  status: z.looseObject({}).optional(),
});

export type AlertProvider = z.infer<typeof AlertProviderSchema>;
export type AlertProviderSpec = z.infer<typeof AlertProviderSpecSchema>;
