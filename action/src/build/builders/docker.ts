// docker buildx, the builder of GitHub-hosted runners. Pushes while building (`--push`) and
// reads the digest from `--metadata-file`. The GitHub Actions cache (`type=gha`) is scoped
// per function, else every function's build would overwrite the one cache entry.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { UserError } from '@greenlight/core';
import { onPath, runTool } from '../tool.ts';
import type { RegistryLogin } from '../../inputs/inputs.ts';
import { pinned, type Builder, type BuildRequest, type BuiltImage } from './builder.ts';

export class DockerBuilder implements Builder {
  readonly name = 'docker';

  async check(): Promise<void> {
    if (await onPath('docker')) return;
    throw new UserError('docker is not on the PATH', {
      field: 'builder',
      hint: 'Use a runner with Docker (ubuntu-latest has it) and docker/setup-buildx-action, or builder: buildah',
    });
  }

  async login({ host, username, password }: RegistryLogin): Promise<void> {
    const out = await runTool(
      'docker',
      ['login', host, '--username', username, '--password-stdin'],
      {
        input: password,
        silent: true,
      },
    );
    if (out.exitCode !== 0) throw new Error(`docker login ${host} failed: ${out.stderr.trim()}`);
  }

  async build(request: BuildRequest): Promise<BuiltImage> {
    const folder = await mkdtemp(join(process.env.RUNNER_TEMP || tmpdir(), 'greenlight-build-'));
    try {
      const metadata = join(folder, 'metadata.json');
      const args = [
        'buildx',
        'build',
        '--push',
        '--file',
        request.dockerfile,
        '--metadata-file',
        metadata,
      ];
      if (request.platforms.length > 0) args.push('--platform', request.platforms.join(','));
      for (const tag of request.tags) args.push('--tag', tag);
      for (const [key, value] of Object.entries(request.buildArgs))
        args.push('--build-arg', `${key}=${value}`);
      // The gha cache backend needs the runtime token the runner gives JavaScript actions.
      const cache = cacheEnvironment();
      if (cache) {
        args.push('--cache-from', `type=gha,scope=${request.name}`);
        args.push('--cache-to', `type=gha,mode=max,scope=${request.name}`);
      }
      args.push(request.context);
      const out = await runTool('docker', args, {
        prefix: request.name,
        ...(cache ? { env: cache } : {}),
      });
      if (out.exitCode !== 0)
        throw new Error(`docker buildx build of ${request.name} failed (exit ${out.exitCode})`);
      const digest = (JSON.parse(await readFile(metadata, 'utf8')) as Record<string, unknown>)[
        'containerimage.digest'
      ];
      return pinned(request.tags[0] as string, typeof digest === 'string' ? digest : undefined);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  }
}

// What buildx reads for `type=gha` when the cache-to/-from attributes leave them out (docs.docker.com,
// "GitHub Actions cache": url, url_v2, token, version). Tools get no ACTIONS_* variable
// otherwise (child-env.ts), so only this call, which needs them, is given them.
const CACHE_VARIABLES = [
  'ACTIONS_RUNTIME_TOKEN',
  'ACTIONS_CACHE_URL',
  'ACTIONS_RESULTS_URL',
  'ACTIONS_CACHE_SERVICE_V2',
];

function cacheEnvironment(): Record<string, string> | undefined {
  if (!process.env.ACTIONS_RUNTIME_TOKEN) return undefined;
  return Object.fromEntries(
    CACHE_VARIABLES.flatMap((name) => {
      const value = process.env[name];
      return value ? [[name, value]] : [];
    }),
  );
}
