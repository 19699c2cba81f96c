// Rollback after promotion (docs/design.md, "Rollback after promotion"): the promoted
// revisions recorded on the Canary, the choice of the one to bring back, and the write.
export {
  PROMOTED_HISTORY,
  PROMOTED_HISTORY_LIMIT,
  promotedOf,
  readPromotedHistory,
  recordPatch,
} from './history.ts';
export type { PromotedRevision } from './history.ts';
export { recordPromoted } from './record.ts';
export { previousPromoted, rollbackTarget } from './choose.ts';
export {
  ROLLBACK_AT,
  ROLLBACK_BY,
  ROLLBACK_FROM,
  ROLLBACK_NOTE,
  ROLLBACK_REVISION,
  ROLLBACK_SKIPPED_ANALYSIS,
  readRollback,
} from './annotations.ts';
export type { RollbackMark } from './annotations.ts';
export { planRollback, rollback } from './rollback.ts';
export type { RollbackOptions, RollbackPlan, RollbackResult } from './rollback.ts';
