// TypeScript types and runtime validation (zod) for Flagger v1.44's `flagger.app/v1beta1`
// Canary, MetricTemplate and AlertProvider, plus the SMI TrafficSplit and Gateway API
// HTTPRoute that Flagger writes, as far as Greenlight reads them; and how Flagger reads a
// Canary's analysis (analysis.ts: its defaults and the strategy it picks).
export * from './constants.ts';
export * from './duration.ts';
export * from './object-meta.ts';
export * from './parent-reference.ts';
export * from './canary.ts';
export * from './analysis.ts';
export * from './canary-status.ts';
export * from './metric-template.ts';
export * from './alert-provider.ts';
export * from './traffic-split.ts';
export * from './http-route.ts';
export * from './validate.ts';
