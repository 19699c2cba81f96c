// Debian's etcd 3.4, on loopback with a data folder in the run's folder.
import { join } from 'node:path';
import { ManagedProcess } from './process.ts';
import { freePort } from './ports.ts';

export interface Etcd {
  process: ManagedProcess;
  url: string;
}

export async function startEtcd(binary: string, dir: string): Promise<Etcd> {
  const [client, peer] = [await freePort(), await freePort()];
  const url = `http://127.0.0.1:${client}`;
  const peerUrl = `http://127.0.0.1:${peer}`;
  const process = new ManagedProcess({
    name: 'etcd',
    command: binary,
    dir,
    args: [
      '--name=e2e',
      `--data-dir=${join(dir, 'etcd-data')}`,
      `--listen-client-urls=${url}`,
      `--advertise-client-urls=${url}`,
      `--listen-peer-urls=${peerUrl}`,
      `--initial-advertise-peer-urls=${peerUrl}`,
      `--initial-cluster=e2e=${peerUrl}`,
      '--log-level=warn',
    ],
  });
  await process.waitUntil('healthy', async () => {
    const res = await fetch(`${url}/health`);
    return res.ok && ((await res.json()) as { health?: string }).health === 'true';
  });
  return { process, url };
}
