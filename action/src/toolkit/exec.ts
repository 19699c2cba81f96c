// Runs a tool (docker, buildah, faas-cli, git) the way @actions/exec's getExecOutput does:
// no shell, output streamed to the log unless silent, and the output kept for the caller.
import { spawn } from 'node:child_process';

export interface ExecOptions {
  /** Written to the tool's stdin (e.g. a registry password for `--password-stdin`). */
  input?: string;
  cwd?: string;
  /** Keep the tool's output out of the log. */
  silent?: boolean;
  /** A prefix for each streamed log line, e.g. the function name of a parallel build. */
  prefix?: string;
}

export interface ExecOutput {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export function getExecOutput(
  command: string,
  args: readonly string[],
  options: ExecOptions = {},
): Promise<ExecOutput> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const stream = (chunk: Buffer) => {
      if (options.silent) return;
      const text = chunk.toString();
      process.stdout.write(
        options.prefix ? text.replace(/^(?=.)/gm, `[${options.prefix}] `) : text,
      );
    };
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk;
      stream(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk;
      stream(chunk);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ exitCode: code ?? 1, stdout, stderr }));
    // A tool that exits without reading its stdin closes the pipe; that is not an error.
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}

/** Whether `command` can be started from the PATH. */
export async function onPath(command: string): Promise<boolean> {
  try {
    await getExecOutput(command, ['--version'], { silent: true });
    return true;
  } catch {
    return false;
  }
}
