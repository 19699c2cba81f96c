// Long-running processes of the Backstage adoption test: the sandbox demo (`npm start`'s
// script without the dev app) and the app's backend, each followed by its output lines.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

export interface Running {
  /** Resolves with the first output line matching, or rejects when the process ends first. */
  line(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  output(): string;
  stop(): Promise<void>;
}

export function start(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Running {
  // Its own process group, so stop() ends what it started (yarn → backstage-cli → node).
  const child: ChildProcess = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let text = '';
  let ended = false;
  const waiters = new Set<() => void>();
  const feed = (chunk: Buffer) => {
    text += chunk.toString();
    for (const check of waiters) check();
  };
  child.stdout?.on('data', feed);
  child.stderr?.on('data', feed);
  child.on('close', () => {
    ended = true;
    for (const check of waiters) check();
  });
  return {
    line(pattern, timeoutMs) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `no line matching ${pattern} from ${command} in ${timeoutMs} ms:\n${text.slice(-4000)}`,
            ),
          );
        }, timeoutMs);
        const check = () => {
          const match = text.match(pattern);
          if (match) {
            clearTimeout(timer);
            waiters.delete(check);
            resolve(match);
          } else if (ended) {
            clearTimeout(timer);
            waiters.delete(check);
            reject(new Error(`${command} ended before printing ${pattern}:\n${text.slice(-4000)}`));
          }
        };
        waiters.add(check);
        check();
      });
    },
    output: () => text,
    async stop() {
      if (ended || child.pid === undefined) return;
      const closed = new Promise((done) => child.once('close', done));
      process.kill(-child.pid, 'SIGTERM');
      const timer = setTimeout(() => child.pid && process.kill(-child.pid, 'SIGKILL'), 10_000);
      await closed;
      clearTimeout(timer);
    },
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
