// Runs a tool (docker, buildah, faas-cli, git) through @actions/exec: no shell, the output
// kept for the caller, a non-zero exit returned rather than thrown (callers name the tool
// and the function in their own error).
//
// One exception: a call that writes to the tool's stdin (a registry password for
// `--password-stdin`). @actions/exec 3 ends the child's stdin with no 'error' listener
// (lib/toolrunner.js), so a tool that exits before reading it — a wrong flag, a stand-in —
// kills the whole action with an uncaught `write EPIPE`. Those calls spawn the tool here and
// ignore the broken pipe: the exit code already says what happened. (Other calls leave the
// tool's stdin open, as @actions/exec does for docker/build-push-action's buildx: none of the
// tools run here reads it, and ending it through @actions/exec risks the same EPIPE.)
//
// Every tool gets childEnvironment(): the step's environment without the action's inputs
// and secrets; a call adds what its tool needs (`env`).
import { spawn } from 'node:child_process';
import * as core from '@actions/core';
import * as exec from '@actions/exec';
import { childEnvironment } from './child-env.ts';

export interface ToolOptions {
  /** Written to the tool's stdin, e.g. a registry password for `--password-stdin`. */
  input?: string;
  cwd?: string;
  /** Keep the tool's output (and its command line) out of the log. */
  silent?: boolean;
  /** A prefix for each logged line, e.g. the function name of a parallel build. */
  prefix?: string;
  /** Variables this call's tool needs beyond childEnvironment(), e.g. a cache token. */
  env?: Record<string, string>;
}

export interface ToolOutput {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export function runTool(
  command: string,
  args: readonly string[],
  options: ToolOptions = {},
): Promise<ToolOutput> {
  if (options.input !== undefined) return runWithInput(command, args, options);
  const prefixed = (line: string) => core.info(`[${options.prefix}] ${line}`);
  if (options.prefix && !options.silent) prefixed(`${command} ${args.join(' ')}`);
  return exec.getExecOutput(command, [...args], {
    ...(options.cwd ? { cwd: options.cwd } : {}),
    env: childEnvironment(options.env),
    ignoreReturnCode: true,
    // Parallel builds interleave; each line then carries its function's name.
    silent: Boolean(options.silent || options.prefix),
    ...(options.prefix && !options.silent
      ? { listeners: { stdline: prefixed, errline: prefixed } }
      : {}),
  });
}

/** Whether `command` can be started from the PATH. */
export async function onPath(command: string): Promise<boolean> {
  try {
    await runTool(command, ['--version'], { silent: true });
    return true;
  } catch {
    return false;
  }
}

function runWithInput(
  command: string,
  args: readonly string[],
  options: ToolOptions,
): Promise<ToolOutput> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: childEnvironment(options.env),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (!options.silent)
        for (const line of (stdout + stderr).split('\n')) if (line) core.info(line);
      resolve({ exitCode: code ?? 1, stdout, stderr });
    });
    // A tool that exits without reading its stdin closes the pipe; that is not an error.
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input);
  });
}
