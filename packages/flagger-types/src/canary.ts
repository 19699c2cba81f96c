import { z } from 'zod';
import {
  BUILTIN_METRICS,
  FLAGGER_API_VERSION,
  PROVIDERS,
  WEBHOOK_TYPES,
  type BuiltinMetric,
} from './constants.ts';
import { DurationSchema } from './duration.ts';
import { ObjectMetaSchema } from './object-meta.ts';
import { ParentReferenceSchema } from './parent-reference.ts';
import { CanaryStatusSchema } from './canary-status.ts';

// The Canary of Flagger v1.44, written from its CRD (artifacts/flagger/crd.yaml) and Go types
// (pkg/apis/flagger/v1beta1/canary.go).
//
// Where the CRD has an OpenAPI rule (required, enum, pattern, oneOf) it is mirrored exactly.
// The CRD types most numbers as `number` while Flagger decodes them into Go `int`s, so a
// fraction breaks Flagger's informer: numbers Go reads as ints are integers here. Rules marked
// "Go:" are Flagger behaviour the CRD does not check; "Greenlight:" rules refuse values that
// Flagger accepts but that can only misbehave.
//
// Objects Flagger types field by field are strict: an unknown key is refused (the apiserver
// would silently prune it, so it is almost always a typo). Istio/Gateway pass-through
// structures Greenlight never writes are checked only for being objects.

const StringMap = z.record(z.string(), z.string());
const PassThrough = z.looseObject({});
const Name = z.string().min(1, { error: 'must not be empty' });
const Percent = (min: number) =>
  z
    .int({ error: 'must be an integer' })
    .min(min, { error: `must be between ${min} and 100` })
    .max(100, {
      error: `must be between ${min} and 100`,
    });

/** `spec.targetRef`: CRD requires apiVersion, kind and name; kind is an enum. */
export const CanaryTargetRefSchema = z.strictObject({
  apiVersion: z.string(),
  kind: z.enum(['DaemonSet', 'Deployment', 'Service']),
  name: Name,
});

const objectRef = <K extends string>(kinds: readonly [K, ...K[]]) =>
  z.strictObject({ apiVersion: z.string(), kind: z.enum(kinds), name: Name });

export const CanaryAutoscalerRefSchema = z.strictObject({
  apiVersion: z.string(),
  kind: z.enum(['HorizontalPodAutoscaler', 'ScaledObject']),
  name: Name,
  primaryScalerQueries: StringMap.optional(),
  primaryScalerReplicas: z
    .strictObject({
      minReplicas: z.int().min(1).optional(),
      maxReplicas: z.int().min(1).optional(),
    })
    .optional(),
});

const CustomMetadataSchema = z.strictObject({
  labels: StringMap.optional(),
  annotations: StringMap.optional(),
});

/** `spec.service`. The CRD requires `port` once `service` is present. */
export const CanaryServiceSchema = z.strictObject({
  name: z.string().optional(),
  // Go: int32; Greenlight: Flagger creates Services with it, so Kubernetes' 1..65535 applies.
  port: z.int().min(1).max(65535),
  portName: z.string().optional(),
  appProtocol: z.string().optional(),
  trafficDistribution: z.enum(['PreferClose', 'PreferSameZone', 'PreferSameNode']).optional(),
  targetPort: z.union([z.int().min(1).max(65535), z.string().min(1)]).optional(),
  portDiscovery: z.boolean().optional(),
  headless: z.boolean().optional(),
  timeout: z.string().optional(),
  backendTimeout: z.string().optional(),
  meshName: z.string().optional(),
  backends: z.array(z.string()).optional(),
  hosts: z.array(z.string()).optional(),
  delegation: z.boolean().optional(),
  match: z.array(PassThrough).optional(),
  retries: PassThrough.optional(),
  rewrite: PassThrough.optional(),
  mirror: z.array(PassThrough).optional(),
  headers: PassThrough.optional(),
  gateways: z.array(z.string()).optional(),
  // Required by the Gateway API providers: the parents of the generated HTTPRoute
  // (on Linkerd, the apex Service itself).
  gatewayRefs: z.array(ParentReferenceSchema).max(32).optional(),
  corsPolicy: PassThrough.optional(),
  trafficPolicy: PassThrough.optional(),
  apex: CustomMetadataSchema.optional(),
  primary: CustomMetadataSchema.optional(),
  canary: CustomMetadataSchema.optional(),
  unmanagedMetadata: z
    .strictObject({
      annotations: z.array(z.string()).optional(),
      labels: z.array(z.string()).optional(),
    })
    .optional(),
});

/** `analysis.metrics[]`: CRD requires `name`; `interval` has the CRD duration pattern. */
export const CanaryMetricSchema = z
  .strictObject({
    name: Name,
    interval: DurationSchema.optional(),
    threshold: z.number().optional(),
    thresholdRange: z
      .strictObject({ min: z.number().optional(), max: z.number().optional() })
      .optional(),
    query: z.string().optional(),
    templateRef: z.strictObject({ name: Name, namespace: z.string().optional() }).optional(),
    templateVariables: StringMap.optional(),
  })
  .superRefine((metric, ctx) => {
    // Go (scheduler_metrics.go): any other metric without a template or query fails every
    // check with "no usable metrics template and query were configured".
    const builtin = (BUILTIN_METRICS as readonly string[]).includes(metric.name as BuiltinMetric);
    if (!builtin && !metric.templateRef && !metric.query) {
      ctx.addIssue({
        code: 'custom',
        path: ['templateRef'],
        message: `is required for metric "${metric.name}": only ${BUILTIN_METRICS.join(' and ')} are built into Flagger`,
      });
    }
    const range = metric.thresholdRange;
    if (range?.min !== undefined && range.max !== undefined && range.min > range.max) {
      ctx.addIssue({
        code: 'custom',
        path: ['thresholdRange'],
        message: 'min must not exceed max, or every check fails',
      });
    }
  });

/** `analysis.alerts[]`: CRD requires `name` and `providerRef.name`; severity is an enum. */
export const CanaryAlertSchema = z.strictObject({
  name: Name,
  severity: z.enum(['', 'info', 'warn', 'error']).optional(),
  providerRef: z.strictObject({ name: Name, namespace: z.string().optional() }),
});

/**
 * `analysis.webhooks[]`: CRD requires `name` and `url`; `type` is an enum that also allows
 * `""` (Flagger treats an empty or missing type as `rollout`); `timeout` has the CRD duration
 * pattern.
 */
export const CanaryWebhookSchema = z.strictObject({
  name: Name,
  type: z.enum(['', ...WEBHOOK_TYPES]).optional(),
  muteAlert: z.boolean().optional(),
  // CRD `format: url`; Greenlight: Flagger POSTs to it, so it must be an absolute http(s) URL.
  url: z.string().refine((url) => /^https?:\/\//.test(url) && URL.canParse(url), {
    error: 'must be an absolute http:// or https:// URL',
  }),
  timeout: DurationSchema.optional(),
  retries: z.int().min(0).optional(),
  disableTLS: z.boolean().optional(),
  metadata: StringMap.optional(),
});

/**
 * `spec.analysis`. The CRD's `oneOf` requires interval, threshold and exactly one of
 * iterations / stepWeight / stepWeights (more than one matches several branches of oneOf).
 */
export const CanaryAnalysisSchema = z
  .strictObject({
    interval: DurationSchema,
    // Greenlight: Flagger replaces a threshold below 1 with 1 (GetAnalysisThreshold).
    threshold: z.int().min(1, { error: 'must be at least 1' }),
    // Greenlight: 0 would be an analysis that never ends.
    iterations: z
      .int({ error: 'must be an integer' })
      .min(1, { error: 'must be at least 1' })
      .optional(),
    // Greenlight: Flagger's total weight is 100 (scheduler.go totalWeight); 0 means "100".
    maxWeight: Percent(0).optional(),
    stepWeight: Percent(1).optional(),
    // Go: Flagger walks the list in order to find the next step (nextStepWeight), so it
    // must rise strictly.
    stepWeights: z
      .array(Percent(1))
      .min(1, { error: 'must list at least one weight' })
      .refine((steps) => steps.every((step, i) => i === 0 || step > (steps[i - 1] as number)), {
        error: 'must be strictly ascending, e.g. [5, 10, 25, 50]',
      })
      .optional(),
    stepWeightPromotion: Percent(1).optional(),
    mirror: z.boolean().optional(),
    mirrorWeight: Percent(0).optional(),
    primaryReadyThreshold: Percent(0).optional(),
    canaryReadyThreshold: Percent(0).optional(),
    match: z.array(PassThrough).optional(),
    metrics: z.array(CanaryMetricSchema).optional(),
    alerts: z.array(CanaryAlertSchema).optional(),
    webhooks: z.array(CanaryWebhookSchema).optional(),
    sessionAffinity: z.looseObject({ cookieName: z.string() }).optional(),
  })
  .superRefine(
    (analysis, ctx) => {
      const modes = (['iterations', 'stepWeight', 'stepWeights'] as const).filter(
        (key) => analysis[key] !== undefined,
      );
      if (modes.length === 0) {
        ctx.addIssue({
          code: 'custom',
          path: [],
          message:
            'must set exactly one of iterations (blue/green, A/B), stepWeight or stepWeights (canary); the CRD requires one',
        });
      }
      for (const extra of modes.slice(1)) {
        ctx.addIssue({
          code: 'custom',
          path: [extra],
          message: `cannot be combined with ${modes[0]}: the CRD allows exactly one of iterations, stepWeight or stepWeights`,
        });
      }
      // Also runs when a sibling only failed a refinement (type errors still come first).
    },
    { when: ({ value }) => typeof value === 'object' && value !== null },
  );

/** `spec`: CRD requires targetRef and analysis; Greenlight also requires service (see below). */
export const CanarySpecSchema = z.strictObject({
  provider: z.enum(PROVIDERS).optional(),
  metricsServer: z.string().optional(),
  // Go: *int32 seconds.
  progressDeadlineSeconds: z
    .int({ error: 'must be an integer' })
    .min(1)
    .max(2_147_483_647)
    .optional(),
  targetRef: CanaryTargetRefSchema,
  autoscalerRef: CanaryAutoscalerRefSchema.optional(),
  ingressRef: objectRef(['Ingress']).optional(),
  routeRef: objectRef(['ApisixRoute']).optional(),
  upstreamRef: z
    .strictObject({
      apiVersion: z.string(),
      kind: z.enum(['Upstream']),
      name: Name,
      namespace: z.string().optional(),
    })
    .optional(),
  // Go: `service` has no omitempty and its port defaults to 0, which makes Flagger generate
  // Services that Kubernetes refuses; the CRD only requires `port` inside it.
  service: CanaryServiceSchema,
  analysis: CanaryAnalysisSchema,
  skipAnalysis: z.boolean().optional(),
  revertOnDeletion: z.boolean().optional(),
  suspend: z.boolean().optional(),
});

export const CanarySchema = z.strictObject({
  apiVersion: z.literal(FLAGGER_API_VERSION),
  kind: z.literal('Canary'),
  metadata: ObjectMetaSchema,
  spec: CanarySpecSchema,
  status: CanaryStatusSchema.optional(),
});

export type Canary = z.infer<typeof CanarySchema>;
export type CanarySpec = z.infer<typeof CanarySpecSchema>;
export type CanaryTargetRef = z.infer<typeof CanaryTargetRefSchema>;
export type CanaryService = z.infer<typeof CanaryServiceSchema>;
export type CanaryAnalysis = z.infer<typeof CanaryAnalysisSchema>;
export type CanaryMetric = z.infer<typeof CanaryMetricSchema>;
export type CanaryAlert = z.infer<typeof CanaryAlertSchema>;
export type CanaryWebhook = z.infer<typeof CanaryWebhookSchema>;
