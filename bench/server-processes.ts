// The servers bench/gate-vs-loadtester.ts measures, each a process of its own pinned to a
// core where `taskset` exists: `greenlight-gate` and flagger-loadtester, with what /proc
// says about them (resident memory, CPU time used).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  /** SIGTERM, then its exit. */
  stop(): Promise<void>;
}

export const pinned = (() => {
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** `command args` on `core` (taskset execs it: the process keeps taskset's pid). */
export function onCore(core: number, command: string, args: string[]): [string, string[]] {
  return pinned ? ['taskset', ['-c', String(core), command, ...args]] : [command, args];
}

/** Moves this process (every thread) to `core`. */
export function pinSelf(core: number): void {
  if (pinned)
    execFileSync('taskset', ['-a', '-cp', String(core), String(process.pid)], { stdio: 'ignore' });
}

/**
 * `greenlight-gate` over `kubeconfig`'s Canaries and Deployments of `namespace`, synced.
 * GATE_NODE_FLAGS adds Node flags to profile it, e.g. `--trace-gc` or `--cpu-prof`.
 */
export async function startGate(
  core: number,
  kubeconfig: string,
  namespace: string,
): Promise<ServerProcess> {
  const port = await freePort();
  const [command, args] = onCore(core, process.execPath, [
    ...(process.env.GATE_NODE_FLAGS?.split(' ').filter(Boolean) ?? []),
    here('../gate/bin/greenlight-gate.js'),
    ...['--port', String(port), '--host', '127.0.0.1'],
    ...['--kubeconfig', kubeconfig, '--namespace', namespace],
  ]);
  const child = spawn(command, args, {
    env: { PATH: process.env.PATH },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      if (out.includes('caches synced')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`greenlight-gate exited ${code}`)));
  });
  return running(child, `http://127.0.0.1:${port}`);
}

/** flagger-loadtester as its Helm chart runs it (log level info, to stdout), healthy. */
export async function startLoadtester(core: number, binary: string): Promise<ServerProcess> {
  const port = await freePort();
  const [command, args] = onCore(core, binary, ['-port', String(port), '-log-level', 'info']);
  const child = spawn(command, args, { env: { PATH: process.env.PATH }, stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  for (let tries = 0; ; tries++) {
    const ok = await fetch(`${url}/healthz`).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return running(child, url);
    if (tries === 100) throw new Error('flagger-loadtester did not answer /healthz within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * A Node HTTP server that reads each body and refuses, deciding nothing: what Node itself
 * costs on the same core, beside the gate.
 */
export async function startNodeBaseline(core: number): Promise<ServerProcess> {
  const port = await freePort();
  const server = `require('node:http').createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(403, { 'content-type': 'application/json' });
      response.end('{"allowed":false}');
    });
  }).listen(${port}, '127.0.0.1', () => console.log('listening'));`;
  const [command, args] = onCore(core, process.execPath, ['-e', server]);
  const child = spawn(command, args, { env: {}, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((resolve) => child.stdout!.once('data', resolve));
  return running(child, `http://127.0.0.1:${port}`);
}

function running(child: ChildProcess, url: string): ServerProcess {
  return {
    child,
    url,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill();
      }),
  };
}

/** Resident memory of a process now (VmRSS), MiB. */
export function rssMiB(child: ChildProcess): number {
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

/** CPU time a process has used (user + system), ms; the kernel counts it in 10 ms ticks. */
export function cpuMs(child: ChildProcess): number {
  const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may hold spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
