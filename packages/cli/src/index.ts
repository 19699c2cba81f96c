// The `greenlight` CLI as a library: `run(argv, io)` returns the exit code.
export { run } from './main.ts';
export { EXIT } from './exit-codes.ts';
export type { Io } from './io.ts';
