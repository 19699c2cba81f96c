// Runs the CLI in-process, as `greenlight <argv>` would, and captures what it prints.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '@greenlight/cli';

export interface CliResult {
  code: number;
  out: string;
  err: string;
}

export interface RunningCli {
  /** What it printed on stdout so far. */
  out(): string;
  /** Like Ctrl-C. */
  interrupt(): void;
  done: Promise<CliResult>;
}

/** A HOME without ~/.kube/config, so no test reads the machine's own cluster. */
export const EMPTY_HOME = mkdtempSync(join(tmpdir(), 'greenlight-cli-home-'));

export function startCli(argv: string[], env: NodeJS.ProcessEnv = {}): RunningCli {
  let out = '';
  let err = '';
  const controller = new AbortController();
  const io = {
    out: (text: string) => void (out += text),
    err: (text: string) => void (err += text),
    env: { HOME: EMPTY_HOME, USER: 'tester', ...env },
    signal: controller.signal,
  };
  const done = run(argv, io).then((code) => ({ code, out, err }));
  return { out: () => out, interrupt: () => controller.abort(), done };
}

export function runCli(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return startCli(argv, env).done;
}
