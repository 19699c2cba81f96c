import type { Canary } from 'flagger-types';
import type { Threshold } from '@greenlight/backstage-plugin-greenlight-common';

// Which golden signal an analysis metric checks, to draw its threshold on that chart:
// Flagger's Linkerd builtins (`request-success-rate` in percent, `request-duration` as p99
// in ms: pkg/metrics/observers/linkerd.go) and the names Greenlight's MetricTemplates use
// with the Gateway API provider (`success-rate`, `latency`; core/canary/metrics.ts).
const SIGNALS: Record<string, Threshold['signal']> = {
  'request-success-rate': 'successRate',
  'success-rate': 'successRate',
  'request-duration': 'p99Ms',
  latency: 'p99Ms',
};

/** The thresholds of the Canary's analysis metrics. Pure. */
export function thresholdsOf(canary: Canary): Threshold[] {
  return (canary.spec?.analysis?.metrics ?? []).map((metric) => {
    const signal = SIGNALS[metric.name];
    const range = metric.thresholdRange ?? {};
    return {
      metric: metric.name,
      ...(signal ? { signal } : {}),
      ...(range.min !== undefined ? { min: range.min } : {}),
      ...(range.max !== undefined ? { max: range.max } : {}),
      ...(metric.interval ? { interval: metric.interval } : {}),
    };
  });
}
