import { rolloutParts, type GoldenSignals, type RolloutView } from '@greenlight/core';

export { shortRevision, writerText } from '@greenlight/core';

/** The log line for one state of a rollout (core's wording); the same state gives the same. */
export function rolloutLine(view: RolloutView, green?: GoldenSignals): string {
  return rolloutParts(view, green ? { green } : {}).join(' · ');
}
