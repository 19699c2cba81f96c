// The `greenlight` CLI as a library: `run(argv, io)` returns the exit code.
export { run } from './main.ts';
export { EXIT } from './exit-codes.ts';
export type { Io } from './io.ts';
// What `greenlight watch` prints, for the sandbox's `npm start` demo to print the same lines.
export { watchRollout as followRollout, type RolloutWatcher as Follower } from '@greenlight/core';
export { rolloutLine, rolloutSummary } from './format.ts';
