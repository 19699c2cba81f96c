// From a function and the user's options to the Flagger objects Greenlight applies.
export {
  CANARY_DEFAULTS,
  DEFAULT_GATE_URL,
  DEFAULT_PROBE_URL,
  DEFAULT_PROMETHEUS_ADDRESS,
  LINKERD_DEPRECATION,
} from './options.ts';
export {
  CANARY_OPTION_FLAGS,
  CANARY_OPTION_NAMES,
  CANARY_OPTIONS,
  type CanaryOptionName,
  type CanaryOptionSpec,
} from './option-list.ts';
export type {
  BlueGreenOptions,
  CanaryOptions,
  CanaryOptionsInput,
  CanaryProvider,
  CanaryStrategy,
  ListedCanaryOptions,
  SteppedCanaryOptions,
  StickySession,
  TesterMark,
  TestersOptions,
} from './options.ts';
export { chooseProvider, type ProviderChoice, type ProviderSource } from './provider-choice.ts';
export { resolveCanaryOptions } from './resolve-options.ts';
export {
  FUNCTION_LABEL,
  MANAGED_BY_LABEL,
  OWNER_ANNOTATION,
  PROGRESS_DEADLINE_SECONDS,
  renderCanary,
  type RenderedCanary,
} from './render.ts';
export { GATE_PATHS, GATE_WEBHOOK_TIMEOUT } from './approval-webhooks.ts';
export {
  PROBE_PATHS,
  PROBE_WEBHOOK_NAMES,
  probeWebhookTimeout,
  unprobedBlueGreen,
} from './probe-webhooks.ts';
export { FLAGGER_PROVIDERS, providerOf } from './routing.ts';
export { METRIC_INTERVAL } from './metrics.ts';
export { ALERT_SEVERITIES, type AlertDestination, type AlertSeverity } from './alerts.ts';
export { LINKERD_LATENCY_P99_QUERY, LINKERD_SUCCESS_RATE_QUERY } from './linkerd-queries.ts';
export { DEFAULT_PROBE_FILE, loadStackProbes } from './probe-file.ts';
