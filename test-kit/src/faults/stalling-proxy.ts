// A proxy in front of a Kubernetes API (the sandbox's stand-in) whose watch streams can
// stall: the connection stays open, the headers have been sent, and then nothing more
// arrives and nothing closes — what a dead NAT entry or a wedged proxy does to a
// long-lived connection. Every other request (lists, single reads, writes) passes through.
// Used by core's watch tests and test/reliability/adversarial/stale-watch.test.ts.
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { forward } from './forward.ts';

export interface StallingProxy {
  url: string;
  /** From now on every open and every new watch stream delivers nothing, and stays open. */
  stall(): void;
  /** New watch streams flow again; the stalled ones stay stalled until their client leaves. */
  heal(): void;
  /** Watch requests received so far. */
  watchRequests(): number;
  /** Stalled streams a client still holds open. */
  stalledOpen(): number;
  close(): Promise<void>;
}

export async function startStallingProxy(target: string): Promise<StallingProxy> {
  const upstream = new URL(target);
  const open = new Set<ServerResponse>();
  const stalled = new Set<ServerResponse>();
  const flowing = new Set<ServerResponse>();
  let stalling = false;
  let watchRequests = 0;

  const server = createServer((req, res) => {
    open.add(res);
    res.on('close', () => {
      open.delete(res);
      stalled.delete(res);
      flowing.delete(res);
    });
    const url = new URL(req.url ?? '/', 'http://proxy');
    const watch = ['true', '1'].includes(url.searchParams.get('watch') ?? '');
    if (watch) watchRequests++;
    forward(upstream, req, res, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      res.flushHeaders();
      if (!watch) {
        answer.pipe(res);
        return;
      }
      if (stalling) stalled.add(res);
      else flowing.add(res);
      answer.on('data', (chunk: Buffer) => {
        if (!stalled.has(res)) res.write(chunk);
      });
      answer.on('end', () => {
        // A stalled stream never ends for its client: that is the fault.
        if (!stalled.has(res)) res.end();
      });
      answer.on('error', () => {
        if (!stalled.has(res)) res.destroy();
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    stall() {
      stalling = true;
      for (const res of flowing) stalled.add(res);
      flowing.clear();
    },
    heal() {
      stalling = false;
    },
    watchRequests: () => watchRequests,
    stalledOpen: () => stalled.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of open) res.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
