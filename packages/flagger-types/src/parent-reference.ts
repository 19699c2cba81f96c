import { z } from 'zod';

// Gateway API `ParentReference`, with the limits of the HTTPRoute CRD (v1.5.1) that Flagger
// also copies into the Canary CRD's `service.gatewayRefs`.
const DNS_SUBDOMAIN = /^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const KIND = /^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const SECTION_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export const ParentReferenceSchema = z.strictObject({
  group: z
    .string()
    .max(253)
    .regex(DNS_SUBDOMAIN, {
      error: 'must be an API group like gateway.networking.k8s.io, or "core"',
    })
    .optional(),
  kind: z
    .string()
    .min(1)
    .max(63)
    .regex(KIND, { error: 'must be a kind like Gateway or Service' })
    .optional(),
  namespace: z
    .string()
    .min(1)
    .max(63)
    .regex(DNS_LABEL, { error: 'must be a namespace name (DNS label)' })
    .optional(),
  name: z.string().min(1).max(253),
  sectionName: z.string().min(1).max(253).regex(SECTION_NAME).optional(),
  port: z.int().min(1).max(65535).optional(),
});
export type ParentReference = z.infer<typeof ParentReferenceSchema>;
