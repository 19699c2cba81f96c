// Rollout interpretation: Flagger's Canary, its route and Deployments → one view.
export { interpret } from './interpret.ts';
export { phaseSince } from './phase-since.ts';
export type { InterpretInput } from './interpret.ts';
export type { RolloutView, MarkView, Verdict } from './view.ts';
export {
  APPROVAL_STATE_TEXT,
  approvalText,
  rolloutParts,
  shortRevision,
  writerText,
} from './line.ts';
export type { LineOptions } from './line.ts';
export { liveWeights, routeWeights, serviceNames } from './weights.ts';
export type { Weights, ServiceNames, BackendWeights } from './weights.ts';
export { stepProgress, strategyOf } from './steps.ts';
export type { StepProgress, Strategy } from './steps.ts';
export { routeTypeOf } from './route-type.ts';
export type { RouteType } from './route-type.ts';
export { readRollout, rolloutInput, rolloutObjects } from './read.ts';
export type { FlaggerCanary, RolloutLookup, RolloutObjects, RouteObject } from './read.ts';
export { watchRollout } from './watch-rollout.ts';
export type { RolloutWatcher } from './watch-rollout.ts';
export { outcomeOf, readStatus, rolloutStart, startSpecOf } from './whose-status.ts';
export type { RolloutStart, StatusOutcome, StatusReading, Whose } from './whose-status.ts';
