// An OCI registry on loopback: Debian's `docker-registry` (distribution 2.8), plain HTTP on a
// free port, its blobs in the run's folder. Builders and skopeo reach it through the
// registries.conf of harness/containers.ts, which marks it insecure (no TLS on loopback).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './ports.ts';
import { ManagedProcess } from './process.ts';

export interface Registry {
  process: ManagedProcess;
  /** `127.0.0.1:<port>`, the host part of every image reference pushed here. */
  host: string;
  /** The folder its blobs and manifests are stored in. */
  store: string;
}

export async function startRegistry(binary: string, dir: string): Promise<Registry> {
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const store = join(dir, 'registry-data');
  const config = join(dir, 'registry.yml');
  // No auth and no TLS: the harness alone talks to it, on loopback.
  writeFileSync(
    config,
    [
      'version: 0.1',
      'log: { level: info }',
      'storage:',
      `  filesystem: { rootdirectory: ${JSON.stringify(store)} }`,
      '  delete: { enabled: true }',
      'http:',
      `  addr: ${host}`,
      '',
    ].join('\n'),
  );
  const process = new ManagedProcess({
    name: 'registry',
    command: binary,
    args: ['serve', config],
    dir,
  });
  // The distribution API's base endpoint answers 200 once the registry serves.
  await process.waitUntil(
    'serving /v2/',
    async () => (await fetch(`http://${host}/v2/`)).status === 200,
  );
  return { process, host, store };
}
