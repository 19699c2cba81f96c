export { createGateServer, type GateDependencies } from './server.ts';
export { GateMetrics } from './metrics.ts';
export { DecisionRecorder, type EventSink } from './recorder.ts';
export type { LiveReader, ObjectLookup } from './lookup.ts';
export { publicAnswer, type GateCode, type PublicAnswer } from './public-answer.ts';
export { explainSyncError, syncLogger, type SyncLogger } from './sync-errors.ts';
export { main } from './main.ts';
export { createProbeServer, type ProbeDependencies } from './probe/server.ts';
export { ProbeMetrics } from './probe/metrics.ts';
export {
  ProbeRecorder,
  probeEvent,
  PROBE_FAILED,
  PROBE_PASSED,
  type ProbePhase,
} from './probe/events.ts';
export { probeMain } from './probe/main.ts';
