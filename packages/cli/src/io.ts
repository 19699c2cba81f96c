/** Where a command writes, so tests can run the CLI in-process and read what it printed. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
  /** Aborted on Ctrl-C, so long commands (watch, sandbox) stop cleanly. */
  signal?: AbortSignal;
}

export const processIo: Io = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  env: process.env,
};
