import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { Command } from 'commander';
import { UserError } from '@greenlight/core';
import type { Io } from '@greenlight/cli';

/**
 * `greenlight sandbox`: a local stand-in for the Kubernetes API, in the foreground, with a
 * kubeconfig pointing at it. It is a sandbox, not a cluster: nothing runs the objects.
 * The sandbox is a development package of this repository, never published, so the command
 * lives here and the CLI adds it only where this package is installed (a clone after
 * `npm ci`); the published CLI has no path to it. Every `greenlight` start in a clone loads
 * this file, so the sandbox itself is imported only when the command runs.
 */
export function sandboxCommand(io: Io): Command {
  return new Command('sandbox')
    .description('run a local Kubernetes API stand-in (a sandbox, not a cluster) in the foreground')
    .option('--port <port>', 'port on 127.0.0.1 (default: any free port)', '0')
    .option(
      '--kubeconfig-out <file>',
      'where to write its kubeconfig',
      '.greenlight/sandbox.kubeconfig',
    )
    .action(async (flags: { port: string; kubeconfigOut: string }) => {
      const port = parsePort(flags.port);
      const file = resolve(flags.kubeconfigOut);
      const { startSandbox } = await import('./start.ts');
      const server = await startSandbox({ port }).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'EADDRINUSE') throw error;
        throw new UserError(`port ${port} is already in use`, {
          field: '--port',
          hint: 'Pick another port, or leave --port out for any free one',
        });
      });
      try {
        await writeKubeconfig(file, server.api.kubeconfig());
        io.out(
          `Greenlight sandbox: Kubernetes API stand-in (not a cluster) on ${server.api.url}\n` +
            `  with a Flagger-behaving controller, greenlight-gate on ${server.gateUrl}, the mesh (real chatbot code, simulated users) and its Prometheus on ${server.metricsUrl}\n` +
            `kubeconfig written to ${file}\n` +
            `  export KUBECONFIG=${file}\n` +
            'Press Ctrl-C to stop.\n',
        );
        await untilStopped(io.signal);
      } finally {
        await server.close();
      }
    });
}

async function writeKubeconfig(file: string, text: string): Promise<void> {
  try {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, text, { mode: 0o600 });
  } catch (error) {
    throw new UserError(`cannot write ${file} (${(error as NodeJS.ErrnoException).code})`, {
      field: '--kubeconfig-out',
      hint: 'Give a path in a folder you can write to',
    });
  }
}

function parsePort(value: string): number {
  const port = Number(value);
  if (value.trim() === '' || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UserError(`must be an integer between 0 and 65535, got "${value}"`, {
      field: '--port',
      hint: 'Use 0 (or leave --port out) for any free port',
    });
  }
  return port;
}

/** Until Ctrl-C, SIGTERM or `signal` aborts. */
function untilStopped(signal: AbortSignal | undefined): Promise<void> {
  return new Promise<void>((done) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      signal?.removeEventListener('abort', stop);
      done();
    };
    if (signal?.aborted) return stop();
    signal?.addEventListener('abort', stop);
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
