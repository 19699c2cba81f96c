// Runs the installed `greenlight` command as a shell would: Node 24 (Jest's own) on
// bin/greenlight.js, in a process of its own with only the environment given.
import { spawn } from 'node:child_process';
import type { CliResult } from './run-cli.ts';
import { EMPTY_HOME } from './run-cli.ts';
import { CLI_BIN as BIN } from './spawn.ts';

export function runBin(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { PATH: process.env.PATH, HOME: EMPTY_HOME, ...env },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (err += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, out, err }));
  });
}
