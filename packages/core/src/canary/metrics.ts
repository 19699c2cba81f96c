import { FLAGGER_API_VERSION, type CanaryMetric, type MetricTemplate } from 'flagger-types';
import { LINKERD_LATENCY_P99_QUERY, LINKERD_SUCCESS_RATE_QUERY } from './linkerd-queries.ts';
import type { CanaryOptions } from './options.ts';

/** Window of each metric query; Flagger's own default (MetricInterval = "1m"). */
export const METRIC_INTERVAL = '1m';

export interface RenderedMetrics {
  metrics: CanaryMetric[];
  templates: MetricTemplate[];
}

/**
 * The analysis metrics for one function: success rate ≥ minSuccessRate and p99 latency ≤
 * maxLatencyMs. With `linkerd` these are Flagger's builtins; with `gatewayapi` Flagger's
 * builtins would query Envoy-style metrics, so Greenlight renders one pair of
 * MetricTemplates per function (`<fn>-success-rate`, `<fn>-latency`) with Linkerd's queries.
 * Per-function templates go and come with their Canary and never conflict between
 * functions that point at different Prometheus servers.
 */
export function renderMetrics(
  name: string,
  options: CanaryOptions,
  labels: Record<string, string>,
): RenderedMetrics {
  const successRange = { min: options.minSuccessRate };
  const latencyRange = { max: options.maxLatencyMs };
  if (options.provider === 'linkerd') {
    return {
      metrics: [
        { name: 'request-success-rate', interval: METRIC_INTERVAL, thresholdRange: successRange },
        // Flagger's builtin reports p99 in milliseconds (LinkerdObserver.GetRequestDuration).
        { name: 'request-duration', interval: METRIC_INTERVAL, thresholdRange: latencyRange },
      ],
      templates: [],
    };
  }
  const template = (suffix: string, query: string): MetricTemplate => ({
    apiVersion: FLAGGER_API_VERSION,
    kind: 'MetricTemplate',
    metadata: { name: `${name}-${suffix}`, namespace: options.namespace, labels },
    spec: {
      provider: { type: 'prometheus', address: options.prometheusAddress },
      query,
    },
  });
  const templates = [
    template('success-rate', LINKERD_SUCCESS_RATE_QUERY),
    template('latency', LINKERD_LATENCY_P99_QUERY),
  ];
  const ref = (template: MetricTemplate) => ({
    name: template.metadata.name,
    namespace: options.namespace,
  });
  const [successRate, latency] = templates as [MetricTemplate, MetricTemplate];
  return {
    metrics: [
      {
        name: 'success-rate',
        templateRef: ref(successRate),
        interval: METRIC_INTERVAL,
        thresholdRange: successRange,
      },
      {
        name: 'latency',
        templateRef: ref(latency),
        interval: METRIC_INTERVAL,
        thresholdRange: latencyRange,
      },
    ],
    templates,
  };
}
