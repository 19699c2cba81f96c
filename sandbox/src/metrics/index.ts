// Synthetic Linkerd metrics for the sandbox: a traffic model, its `/metrics` page in the
// proxy's format and a Prometheus API that answers the queries Greenlight and Flagger send.
export { TrafficModel } from './model.ts';
export type { TrafficModelOptions, Weights, CheckResult } from './model.ts';
export {
  BEHAVIOUR_ANNOTATION,
  DEFAULT_BEHAVIOUR,
  behaviourOf,
  checkBehaviour,
  parseBehaviour,
} from './behaviour.ts';
export type { Behaviour, DeploymentLike } from './behaviour.ts';
export { startMetricsServer } from './server.ts';
export type { MetricsServer, MetricsServerOptions } from './server.ts';
export { renderExposition, EXPOSITION_CONTENT_TYPE } from './exposition.ts';
export { answerQuery, answerQueryRange } from './api.ts';
export type { ApiAnswer } from './api.ts';
export { parseQuery, QueryError } from './promql.ts';
export type { Query } from './promql.ts';
export { LATENCY_BOUNDS_MS } from './buckets.ts';
