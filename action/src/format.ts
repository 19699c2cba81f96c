import {
  rolloutParts,
  type FunctionProbe,
  type GoldenSignals,
  type RolloutView,
} from '@greenlight/core';

export { shortRevision, writerText } from '@greenlight/core';

/** The log line for one state of a rollout (core's wording); the same state gives the same. */
export function rolloutLine(view: RolloutView, green?: GoldenSignals): string {
  return rolloutParts(view, green ? { green } : {}).join(' · ');
}

/** A function's probe in a few words: `2 conversations (3 turns), 5 rounds per iteration`. */
export function probeSummary(probe: FunctionProbe, rounds: number): string {
  const turns = probe.conversations.reduce((sum, c) => sum + c.turns.length, 0);
  const conversations = probe.conversations.length;
  return (
    `${conversations} conversation${conversations === 1 ? '' : 's'} (${turns} turn${turns === 1 ? '' : 's'}), ` +
    `${rounds} round${rounds === 1 ? '' : 's'} per iteration`
  );
}
