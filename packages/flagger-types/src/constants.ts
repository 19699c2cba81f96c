/** The one API version of Flagger's CRDs (canaries, metrictemplates, alertproviders). */
export const FLAGGER_API_VERSION = 'flagger.app/v1beta1';

/** `spec.provider` values, copied from the enum of the Canary CRD (Flagger v1.44, artifacts/flagger/crd.yaml). */
export const PROVIDERS = [
  'apisix',
  'appmesh',
  'appmesh:v1beta2',
  'contour',
  'gatewayapi:v1',
  'gatewayapi:v1beta1',
  'gloo',
  'istio',
  'knative',
  'kubernetes',
  'kuma',
  'linkerd',
  'nginx',
  'osm',
  'skipper',
  'smi:v1alpha1',
  'smi:v1alpha2',
  'smi:v1alpha3',
  'traefik',
] as const;
export type Provider = (typeof PROVIDERS)[number];

/**
 * `status.phase` values (Flagger's `CanaryPhase` constants). The CRD enum also allows `""`,
 * which a Canary has before Flagger first writes its status.
 */
export const CANARY_PHASES = [
  'Initializing',
  'Initialized',
  'Waiting',
  'Progressing',
  'WaitingPromotion',
  'Promoting',
  'Finalising',
  'Succeeded',
  'Failed',
  'Terminating',
  'Terminated',
] as const;
export type CanaryPhase = (typeof CANARY_PHASES)[number];

/**
 * Webhook types (Flagger's `HookType` constants). The CRD enum also allows `""`, which
 * Flagger treats as `rollout`.
 */
export const WEBHOOK_TYPES = [
  'confirm-rollout',
  'pre-rollout',
  'rollout',
  'confirm-traffic-increase',
  'confirm-promotion',
  'post-rollout',
  'rollback',
  'event',
] as const;
export type WebhookType = (typeof WEBHOOK_TYPES)[number];

/**
 * Metric names Flagger answers itself, without a `templateRef` or `query`, for the mesh
 * providers (pkg/controller/scheduler_metrics.go).
 */
export const BUILTIN_METRICS = ['request-success-rate', 'request-duration'] as const;
export type BuiltinMetric = (typeof BUILTIN_METRICS)[number];

/** `MetricTemplate.spec.provider.type` values, from the MetricTemplate CRD enum. */
export const METRIC_PROVIDER_TYPES = [
  'prometheus',
  'influxdb',
  'datadog',
  'externalmetrics',
  'stackdriver',
  'cloudwatch',
  'newrelic',
  'graphite',
  'dynatrace',
  'keptn',
  'splunk',
] as const;
export type MetricProviderType = (typeof METRIC_PROVIDER_TYPES)[number];

/** `AlertProvider.spec.type` values, from the AlertProvider CRD enum. */
export const ALERT_PROVIDER_TYPES = ['slack', 'msteams', 'discord', 'rocket', 'gchat'] as const;
export type AlertProviderType = (typeof ALERT_PROVIDER_TYPES)[number];
