import { resolve } from 'node:path';
import { Command } from 'commander';
import { startApiServer } from '@greenlight/sandbox';
import { UserError } from '@greenlight/core';
import type { Io } from '../io.ts';

/**
 * `greenlight sandbox`: a local stand-in for the Kubernetes API, in the foreground, with a
 * kubeconfig pointing at it. It is a sandbox, not a cluster: see sandbox/README.md.
 */
export function sandboxCommand(io: Io): Command {
  return new Command('sandbox')
    .description('run a local Kubernetes API stand-in (a sandbox, not a cluster) in the foreground')
    .option('--port <port>', 'port on 127.0.0.1 (default: any free port)', '0')
    .option('--kubeconfig-out <file>', 'where to write its kubeconfig', '.greenlight/sandbox.kubeconfig')
    .action(async (flags) => {
      const port = Number(flags.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw new UserError(`must be an integer between 0 and 65535, got "${flags.port}"`, {
          field: '--port',
        });
      }
      const server = await startApiServer({ port });
      const file = resolve(flags.kubeconfigOut);
      await server.writeKubeconfig(file);
      io.out(
        `Greenlight sandbox: Kubernetes API stand-in on ${server.url}\n` +
          `kubeconfig written to ${file}\n` +
          `  export KUBECONFIG=${file}\n` +
          'Press Ctrl-C to stop.\n',
      );
      await new Promise<void>((done) => {
        const stop = () => done();
        io.signal?.addEventListener('abort', stop);
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await server.close();
    });
}
