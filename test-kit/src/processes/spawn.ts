// Greenlight's commands run as a user runs them: Node 24 (Jest's own) on their bin files,
// every byte of stdout and stderr kept.
import { spawn, type ChildProcess } from 'node:child_process';
import { workspaceFile } from './workspace.ts';

export const CLI_BIN = workspaceFile('@greenlight/cli', 'bin/greenlight.js');
export const GATE_BIN = workspaceFile('@greenlight/gate', 'bin/greenlight-gate.js');

export interface Exited {
  code: number | null;
  out: string;
  err: string;
}

export interface Running {
  child: ChildProcess;
  out(): string;
  err(): string;
  exited: Promise<Exited>;
}

export function start(bin: string, args: string[], env: NodeJS.ProcessEnv = {}): Running {
  const child = spawn(process.execPath, [bin, ...args], {
    env: { PATH: process.env.PATH, HOME: '/nonexistent', ...env },
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk) => (out += chunk));
  child.stderr?.on('data', (chunk) => (err += chunk));
  const exited = new Promise<Exited>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
  });
  return { child, out: () => out, err: () => err, exited };
}

export function exec(bin: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Exited> {
  return start(bin, args, env).exited;
}
