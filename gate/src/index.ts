export { createGateServer, type GateDependencies } from './server.ts';
export { GateMetrics } from './metrics.ts';
export { DecisionRecorder, type EventSink } from './recorder.ts';
export type { ObjectLookup } from './lookup.ts';
export { main } from './main.ts';
