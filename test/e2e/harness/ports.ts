import { createServer } from 'node:net';

/**
 * A port free on 127.0.0.1 right now. The kernel picks it; the child binds it a moment
 * later (a tiny race the harness accepts: each start fails loudly if the port was taken).
 */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('could not pick a free port');
  return address.port;
}
