// The sandbox's Prometheus: the mesh's proxy counts, scraped, behind a Prometheus API that
// answers the queries Greenlight and Flagger send.
export { Scrapes } from './scrapes.ts';
export type { ScrapeOptions, ScrapeTarget } from './scrapes.ts';
export { startMetricsServer } from './server.ts';
export type { MetricsServer, MetricsServerOptions } from './server.ts';
export { answerQuery, answerQueryRange } from './api.ts';
export type { ApiAnswer } from './api.ts';
export { parseQuery, QueryError } from './promql.ts';
export type { Query } from './promql.ts';
