import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * A port free on 127.0.0.1 right now, for a child to bind a moment later. It is picked
 * below the kernel's ephemeral range (ip_local_port_range): the kernel hands ports in that
 * range to every outgoing connection, and with a few control planes talking at once one
 * took the apiserver's port between our check and its bind ("address already in use").
 * Below the range only another listener can take it, and none of ours picks one twice.
 */
export async function freePort(): Promise<number> {
  const [low, high] = belowEphemeral();
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = low + Math.floor(Math.random() * (high - low));
    if (handedOut.has(port)) continue;
    if (await bindable(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error(`could not find a free port on 127.0.0.1 between ${low} and ${high}`);
}

const handedOut = new Set<number>();

function belowEphemeral(): [number, number] {
  let [low, high] = [32768, 60999]; // Linux's default ephemeral range
  try {
    [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')
      .trim()
      .split(/\s+/)
      .map(Number) as [number, number];
  } catch {
    // Not Linux: keep the default.
  }
  if (low > 12_000) return [10_000, low];
  if (high < 62_000) return [high + 1, 65_536];
  return [1024, 65_536]; // no range outside the ephemeral one: the check before use must do
}

function bindable(port: number): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
