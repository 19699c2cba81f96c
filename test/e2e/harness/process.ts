// One child process of the control plane: its output goes to a log file in the run's
// folder (kept for the failure report), and it is stopped by its PID — never by name,
// other engineers' processes share this machine.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ProcessOptions {
  /** Short name: the log file is `<dir>/<name>.log`. */
  name: string;
  command: string;
  args: string[];
  dir: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export class ManagedProcess {
  readonly name: string;
  readonly logFile: string;
  readonly child: ChildProcess;
  #exit: Promise<number | null>;
  #exited = false;

  constructor(options: ProcessOptions) {
    this.name = options.name;
    this.logFile = join(options.dir, `${options.name}.log`);
    const fd = openSync(this.logFile, 'a');
    this.child = spawn(options.command, options.args, {
      cwd: options.cwd ?? options.dir,
      env: options.env ?? process.env,
      stdio: ['ignore', fd, fd],
    });
    closeSync(fd);
    this.#exit = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.#exited = true;
        resolve(code ?? (signal ? -1 : null));
      });
      this.child.once('error', () => {
        this.#exited = true;
        resolve(-1);
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get exited(): boolean {
    return this.#exited;
  }

  /** The last `lines` lines of the log. */
  tail(lines = 40): string {
    let text: string;
    try {
      text = readFileSync(this.logFile, 'utf8');
    } catch {
      return '(no log)';
    }
    return text
      .split('\n')
      .slice(-lines - 1)
      .join('\n');
  }

  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
  async stop(graceMs = 5000): Promise<void> {
    if (this.#exited || this.pid === undefined) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.#exit;
    clearTimeout(timer);
  }

  /** Polls `ready` until true; fails early, with the log's tail, if the process exits. */
  async waitUntil(what: string, ready: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.#exited) {
        throw new Error(`${this.name} exited before ${what}; its log ends:\n${this.tail()}`);
      }
      if (await ready().catch(() => false)) return;
      if (Date.now() > deadline) {
        throw new Error(
          `${this.name}: not ${what} after ${timeoutMs} ms; its log ends:\n${this.tail()}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
