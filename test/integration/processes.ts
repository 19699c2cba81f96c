// The installed commands as real processes: Node 24 (Jest's own, process.execPath) running
// the bins' TypeScript sources, as `npm exec greenlight-gate` would.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const GATE_BIN = fileURLToPath(new URL('../../gate/bin/greenlight-gate.js', import.meta.url));
const CLI_BIN = fileURLToPath(new URL('../../packages/cli/bin/greenlight.js', import.meta.url));

export interface GateProcess {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * Starts `greenlight-gate` and resolves once it listens and its caches are synced (it
 * prints `greenlight-gate listening on <port>`, then `greenlight-gate caches synced`).
 * Port 0 lets the gate pick a free port; a restart passes the port it had.
 */
export function startGateProcess(kubeconfig: string, port = 0): Promise<GateProcess> {
  const child = spawn(
    process.execPath,
    [GATE_BIN, '--port', String(port), '--host', '127.0.0.1', '--kubeconfig', kubeconfig],
    { env: { PATH: process.env.PATH } },
  );
  let out = '';
  let err = '';
  child.stderr.on('data', (chunk) => (err += chunk));
  return new Promise((resolve, reject) => {
    const failed = (code: number | null) =>
      reject(new Error(`greenlight-gate exited with ${code} before it synced: ${err}`));
    child.once('exit', failed);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const listening = /greenlight-gate listening on (\d+)/.exec(out);
      if (!listening || !out.includes('greenlight-gate caches synced')) return;
      child.off('exit', failed);
      const actual = Number(listening[1]);
      resolve({ url: `http://127.0.0.1:${actual}`, port: actual, stop: () => stop(child) });
    });
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

export interface CliExit {
  code: number | null;
  out: string;
  err: string;
}

/** Runs `greenlight <args>` to completion. */
export function runCliProcess(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliExit> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_BIN, ...args], {
      env: { PATH: process.env.PATH, ...env },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (err += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
  });
}
