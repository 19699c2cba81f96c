// buildah, for runners without a Docker daemon (self-hosted runners in pods, our e2e tier).
// `--storage-driver vfs` needs no overlay or fuse support and `--isolation chroot` no user
// namespaces, so it runs in an unprivileged container; both cost speed, not correctness.
// Several platforms build into a manifest list pushed with `manifest push --all`.
// A registry on loopback is pushed to over plain HTTP (tlsFlag). Any other registry without
// TLS, and one a FROM pulls from, must be `insecure = true` in the runner's registries.conf
// (or CONTAINERS_REGISTRIES_CONF), as the e2e tier sets it: `buildah build` has a single
// --tls-verify for all its pulls, and turning that off would cover docker.io too.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { UserError } from '@greenlight/core';
import { onPath, runTool } from '../tool.ts';
import type { RegistryLogin } from '../../inputs/inputs.ts';
import { pinned, type Builder, type BuildRequest, type BuiltImage } from './builder.ts';

const STORAGE = ['--storage-driver', 'vfs'];

export class BuildahBuilder implements Builder {
  readonly name = 'buildah';

  async check(): Promise<void> {
    if (await onPath('buildah')) return;
    throw new UserError('buildah is not on the PATH', {
      field: 'builder',
      hint: 'Install it on the runner (apt-get install buildah), or use builder: docker',
    });
  }

  async login({ host, username, password }: RegistryLogin): Promise<void> {
    const args = [
      ...STORAGE,
      'login',
      ...tlsFlag(host),
      '--username',
      username,
      '--password-stdin',
      host,
    ];
    const out = await runTool('buildah', args, { input: password, silent: true });
    if (out.exitCode !== 0) throw new Error(`buildah login ${host} failed: ${out.stderr.trim()}`);
  }

  async build(request: BuildRequest): Promise<BuiltImage> {
    const [first, ...others] = request.tags as [string, ...string[]];
    const manifest = request.platforms.length > 1;
    const args = [
      ...STORAGE,
      'build',
      '--isolation',
      'chroot',
      '--layers',
      '--file',
      request.dockerfile,
    ];
    if (request.platforms.length > 0) args.push('--platform', request.platforms.join(','));
    args.push(...(manifest ? ['--manifest', first] : ['--tag', first]));
    for (const [key, value] of Object.entries(request.buildArgs))
      args.push('--build-arg', `${key}=${value}`);
    args.push(request.context);
    await run(args, request.name, 'build');

    const folder = await mkdtemp(join(process.env.RUNNER_TEMP || tmpdir(), 'greenlight-build-'));
    try {
      const digestFile = join(folder, 'digest');
      for (const [i, tag] of [first, ...others].entries()) {
        const push = manifest
          ? [
              'manifest',
              'push',
              '--all',
              ...tlsFlag(tag),
              ...(i === 0 ? ['--digestfile', digestFile] : []),
              first,
              `docker://${tag}`,
            ]
          : [
              'push',
              ...tlsFlag(tag),
              ...(i === 0 ? ['--digestfile', digestFile] : []),
              first,
              `docker://${tag}`,
            ];
        await run([...STORAGE, ...push], request.name, `push ${tag}`);
      }
      return pinned(first, (await readFile(digestFile, 'utf8')).trim() || undefined);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  }
}

async function run(args: string[], name: string, what: string): Promise<void> {
  const out = await runTool('buildah', args, { prefix: name });
  if (out.exitCode !== 0)
    throw new Error(`buildah ${what} of ${name} failed (exit ${out.exitCode})`);
}

/** A registry on this machine (the e2e tier's, a runner's service container) speaks plain HTTP. */
function tlsFlag(reference: string): string[] {
  return /^(localhost|127\.0\.0\.1)(:\d+)?(\/|$)/.test(reference) ? ['--tls-verify=false'] : [];
}
