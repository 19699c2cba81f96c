import type { Server } from 'node:net';

// The options and start-up both of the package's servers share (greenlight-gate and
// greenlight-probe): where to listen and which cluster to talk to.

/** parseArgs options: --port (else PORT, else 8080), --host, --kubeconfig, --help. */
export const SERVE_OPTIONS = {
  port: { type: 'string', default: process.env.PORT ?? '8080' },
  host: { type: 'string', default: '0.0.0.0' },
  kubeconfig: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The --port value as a port number, or an error naming the flag. */
export function portOf(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port must be an integer between 0 and 65535, got "${value}"`);
  }
  return port;
}

/**
 * A flag of seconds, given as `--<flag>` or else the environment variable `env`: its value
 * in milliseconds, or an error naming both.
 */
export function secondsFlag(values: Record<string, unknown>, flag: string, env: string): number {
  const given = String(values[flag]);
  const seconds = Number(given);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new Error(`--${flag} (or ${env}) must be a number of seconds above 0, got "${given}"`);
  }
  return seconds * 1000;
}

/** Listens and says where: `<name> listening on <port>` (the port chosen when --port=0). */
export async function listen(server: Server, port: number, host: string, name: string) {
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const address = server.address();
  console.log(`${name} listening on ${typeof address === 'object' ? address?.port : port}`);
}
