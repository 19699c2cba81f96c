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

export function readE2eEnv(): E2eEnv {
  const file = join(cacheDir(), 'env');
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
  const need = (key: string): string => {
    const value = values.get(key);
    if (!value) throw new Error(`${file} has no ${key}. Run test/e2e/setup again.`);
    return value;
  };
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
  for (const path of [env.kubeApiserver, env.flagger, env.etcd, env.prometheus, ...env.crds]) {
    if (!existsSync(path))
      throw new Error(`${path} (named in ${file}) is missing. Run test/e2e/setup again.`);
  }
  return env;
}
