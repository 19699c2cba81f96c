// Golden metrics (success rate, RPS, latency) of blue and green from Linkerd's metrics.
export type {
  MetricsSource,
  MetricsRef,
  GoldenMetrics,
  GoldenSignals,
  GoldenSeries,
  SignalSeries,
  Point,
} from './source.ts';
export { refKey } from './source.ts';
export { PrometheusMetrics } from './prometheus.ts';
export type { PrometheusOptions } from './prometheus.ts';
export { MetricsUnavailableError } from './unavailable.ts';
export {
  goldenQueries,
  deploymentsOf,
  checkWindow,
  durationSeconds,
  rangeRateWindow,
  FLEET_REGEX_LIMIT,
  QUANTILES,
  QUANTILE_LABEL,
} from './queries.ts';
export type { GoldenQueries } from './queries.ts';
export { prometheusResponseSchema, sampleValue, vectorValues, matrixSeries } from './response.ts';
export type { PrometheusResponse, LabelledValue, LabelledSeries } from './response.ts';
export { byQuantile, goldenMetrics, seriesOf, NO_SIGNALS } from './signals.ts';
export type { GoldenResults, GoldenSeriesResults } from './signals.ts';
