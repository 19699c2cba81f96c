// If the test run dies (an uncaught error, Ctrl-C, Jest's forced exit), no control-plane
// process may outlive it: each is killed by its own PID on the way out, then the
// synchronous clean-ups registered with `cleanUpOnExit` run (a dead run's stores).
import type { ManagedProcess } from './process.ts';

const running = new Set<ManagedProcess>();
const cleanUps = new Set<() => void>();
let installed = false;

export function killOnExit(process: ManagedProcess): void {
  running.add(process);
  process.child.once('exit', () => running.delete(process));
  install();
}

/** Runs `cleanUp` (synchronous) if the process exits early; returns its unregistration. */
export function cleanUpOnExit(cleanUp: () => void): () => void {
  cleanUps.add(cleanUp);
  install();
  return () => cleanUps.delete(cleanUp);
}

function install(): void {
  if (installed) return;
  installed = true;
  const reap = () => {
    for (const p of running) if (p.pid !== undefined) p.child.kill('SIGKILL');
    for (const cleanUp of cleanUps) {
      try {
        cleanUp();
      } catch {
        // Best effort on the way out.
      }
    }
  };
  globalThis.process.once('exit', reap);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    globalThis.process.once(signal, () => {
      reap();
      globalThis.process.exit(130);
    });
  }
}
