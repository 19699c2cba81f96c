// What `test/e2e/setup` prepared: binaries and CRD files, read from the cache's `env`
// file. A missing entry fails with the command that makes it.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface E2eEnv {
  kubeApiserver: string;
  kubernetesVersion: string;
  flagger: string;
  flaggerVersion: string;
  etcd: string;
  prometheus: string;
  openssl: string;
  crds: string[];
}

export function cacheDir(): string {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return process.env.GREENLIGHT_E2E_CACHE || join(base, 'greenlight-e2e');
}

/** The tools of the image scenarios (images.test.ts): registry, builder, inspector, base. */
export interface ImageTools {
  /** Debian's `docker-registry` (distribution 2.8). */
  registry: string;
  buildah: string;
  skopeo: string;
  /** A statically linked busybox, the base image's only program. */
  busybox: string;
}

export function readE2eEnv(): E2eEnv {
  const need = envFile();
  const env: E2eEnv = {
    kubeApiserver: need('KUBE_APISERVER'),
    kubernetesVersion: need('KUBERNETES_VERSION'),
    flagger: need('FLAGGER'),
    flaggerVersion: need('FLAGGER_VERSION'),
    etcd: need('ETCD'),
    prometheus: need('PROMETHEUS'),
    openssl: need('OPENSSL'),
    crds: need('CRDS').split(':'),
  };
  exist(env.kubeApiserver, env.flagger, env.etcd, env.prometheus, ...env.crds);
  return env;
}

export function readImageTools(): ImageTools {
  const need = envFile();
  const tools: ImageTools = {
    registry: need('DOCKER_REGISTRY'),
    buildah: need('BUILDAH'),
    skopeo: need('SKOPEO'),
    busybox: need('BUSYBOX'),
  };
  exist(tools.registry, tools.buildah, tools.skopeo, tools.busybox);
  return tools;
}

/** Debian's `chromium`, which playwright-core drives in the browser scenarios. */
export function readChromium(): string {
  const chromium = envFile()('CHROMIUM');
  if (!existsSync(chromium)) {
    throw new Error(
      `${chromium} (named in ${envPath()}) is missing: apt-get install chromium, or run test/e2e/setup again.`,
    );
  }
  return chromium;
}

function envPath(): string {
  return join(cacheDir(), 'env');
}

/** A reader of the `KEY=VALUE` lines of the cache's `env` file that fails on a missing key. */
function envFile(): (key: string) => string {
  const file = envPath();
  if (!existsSync(file)) {
    throw new Error(
      `${file} does not exist: the e2e tier is not set up. Run test/e2e/setup (as root) first, or npm run test:e2e which runs it.`,
    );
  }
  const values = new Map<string, string>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const at = line.indexOf('=');
    if (at > 0) values.set(line.slice(0, at), line.slice(at + 1));
  }
  return (key: string): string => {
    const value = values.get(key);
    if (!value) throw new Error(`${file} has no ${key}. Run test/e2e/setup again.`);
    return value;
  };
}

function exist(...paths: string[]): void {
  for (const path of paths) {
    if (!existsSync(path))
      throw new Error(`${path} (named in ${envPath()}) is missing. Run test/e2e/setup again.`);
  }
}
