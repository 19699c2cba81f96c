// The `greenlight` CLI as a library: `run(argv, io)` returns the exit code.
export { run } from './main.ts';
export { EXIT } from './exit-codes.ts';
export type { Io } from './io.ts';
// What `greenlight watch` prints, for the sandbox's `npm start` demo to print the same lines.
export { followRollout, type Follower } from './follow.ts';
export { rolloutLine, rolloutSummary } from './format.ts';
