// buildah and skopeo as the image scenarios run them, and the same configuration for the
// action's buildah builder (its process gets `env`), as a self-hosted runner would set it up:
// - root, `--isolation chroot`: no user namespaces and no OCI runtime (runc/crun) needed;
// - vfs storage (no overlay or fuse), in the run's folder, removed at the end (each vfs layer
//   is a full copy of the image's files: gigabytes after the gate's build);
// - a registries.conf listing the loopback registry as insecure: it speaks plain HTTP, and
//   `buildah build` pulls the base image from it (a FROM has no --tls-verify of its own).
import { execFile } from 'node:child_process';
import { appendFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ImageTools } from './env.ts';

const run = promisify(execFile);

export interface Containers {
  /** CONTAINERS_STORAGE_CONF and CONTAINERS_REGISTRIES_CONF, for every buildah and skopeo. */
  env: Record<string, string>;
  /** Runs buildah with `env`; its output goes to `<dir>/buildah.log`, its stdout is returned. */
  buildah(args: string[]): Promise<string>;
  /** The manifest digest the registry serves for `reference`, read by skopeo. */
  digest(reference: string): Promise<string>;
  /** Removes the storage (synchronous: also runs from the exit reaper). */
  remove(): void;
}

export function containers(tools: ImageTools, dir: string, registryHost: string): Containers {
  if (process.getuid?.() !== 0) {
    throw new Error(
      'the image scenarios need root: buildah builds with --isolation chroot and vfs storage, which an unprivileged user cannot without user namespaces. Run npm run test:e2e as root.',
    );
  }
  const storage = join(dir, 'containers-storage');
  const runroot = join(dir, 'containers-run');
  mkdirSync(storage, { recursive: true });
  mkdirSync(runroot, { recursive: true });
  const storageConf = join(dir, 'storage.conf');
  writeFileSync(
    storageConf,
    `[storage]\ndriver = "vfs"\ngraphroot = ${JSON.stringify(storage)}\nrunroot = ${JSON.stringify(runroot)}\n`,
  );
  const registriesConf = join(dir, 'registries.conf');
  writeFileSync(
    registriesConf,
    // Fully qualified names only: nothing here may reach docker.io.
    `unqualified-search-registries = []\n\n[[registry]]\nlocation = ${JSON.stringify(registryHost)}\ninsecure = true\n`,
  );
  const env = { CONTAINERS_STORAGE_CONF: storageConf, CONTAINERS_REGISTRIES_CONF: registriesConf };
  const log = join(dir, 'buildah.log');
  const tool = async (command: string, args: string[]): Promise<string> => {
    appendFileSync(log, `$ ${command} ${args.join(' ')}\n`);
    try {
      const { stdout, stderr } = await run(command, args, {
        env: { ...process.env, ...env },
        maxBuffer: 64 * 1024 * 1024,
      });
      appendFileSync(log, stdout + stderr);
      return stdout;
    } catch (error) {
      const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
      appendFileSync(log, stdout + stderr);
      throw new Error(`${command} ${args.join(' ')} failed:\n${stderr || stdout}`, {
        cause: error,
      });
    }
  };
  return {
    env,
    buildah: (args) => tool(tools.buildah, args),
    async digest(reference) {
      const out = await tool(tools.skopeo, [
        'inspect',
        '--tls-verify=false',
        `docker://${reference}`,
      ]);
      return (JSON.parse(out) as { Digest: string }).Digest;
    },
    remove() {
      rmSync(storage, { recursive: true, force: true });
      rmSync(runroot, { recursive: true, force: true });
    },
  };
}
