// If the test run dies (an uncaught error, Ctrl-C, Jest's forced exit), no control-plane
// process may outlive it: each is killed by its own PID on the way out.
import type { ManagedProcess } from './process.ts';

const running = new Set<ManagedProcess>();
let installed = false;

export function killOnExit(process: ManagedProcess): void {
  running.add(process);
  process.child.once('exit', () => running.delete(process));
  if (installed) return;
  installed = true;
  const killAll = () => {
    for (const p of running) if (p.pid !== undefined) p.child.kill('SIGKILL');
  };
  globalThis.process.once('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    globalThis.process.once(signal, () => {
      killAll();
      globalThis.process.exit(130);
    });
  }
}
