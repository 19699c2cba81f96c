import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../src/errors.ts';
import { loadKubeConfig } from '../src/kube/index.ts';

let dir: string;

function kubeconfig(server: string, contexts: string[] = ['main']): string {
  return `apiVersion: v1
kind: Config
clusters:
${contexts.map((c) => `  - name: ${c}\n    cluster:\n      server: ${server}/${c}`).join('\n')}
users:
  - name: me
    user:
      token: abc
contexts:
${contexts.map((c) => `  - name: ${c}\n    context:\n      cluster: ${c}\n      user: me`).join('\n')}
current-context: ${contexts[0]}
`;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'greenlight-kubeconfig-'));
  await writeFile(join(dir, 'flag.yaml'), kubeconfig('https://flag.example', ['main', 'staging']));
  await writeFile(join(dir, 'env.yaml'), kubeconfig('https://env.example'));
  await mkdir(join(dir, 'home', '.kube'), { recursive: true });
  await writeFile(join(dir, 'home', '.kube', 'config'), kubeconfig('https://home.example'));
  await mkdir(join(dir, 'sa'));
  await writeFile(join(dir, 'sa', 'token'), 'pod-token');
  await writeFile(join(dir, 'sa', 'namespace'), 'greenlight\n');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const server = (kc: ReturnType<typeof loadKubeConfig>) => kc.getCurrentCluster()?.server;

describe('loadKubeConfig', () => {
  const empty = () => join(dir, 'nohome');

  it('prefers --kubeconfig over KUBECONFIG', () => {
    const kc = loadKubeConfig({
      kubeconfig: join(dir, 'flag.yaml'),
      env: { KUBECONFIG: join(dir, 'env.yaml') },
      homeDir: join(dir, 'home'),
    });
    expect(server(kc)).toBe('https://flag.example/main');
  });

  it('reads KUBECONFIG when no file is passed', () => {
    const kc = loadKubeConfig({
      env: { KUBECONFIG: join(dir, 'env.yaml') },
      homeDir: join(dir, 'home'),
    });
    expect(server(kc)).toBe('https://env.example/main');
  });

  it('uses the pod service account inside a cluster before ~/.kube/config', () => {
    const kc = loadKubeConfig({
      env: { KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443' },
      serviceAccountDir: join(dir, 'sa'),
      homeDir: join(dir, 'home'),
    });
    expect(server(kc)).toBe('https://10.0.0.1:443');
    expect(kc.getContextObject(kc.getCurrentContext())?.namespace).toBe('greenlight');
  });

  it('falls back to ~/.kube/config', () => {
    const kc = loadKubeConfig({
      env: {},
      homeDir: join(dir, 'home'),
      serviceAccountDir: join(dir, 'none'),
    });
    expect(server(kc)).toBe('https://home.example/main');
  });

  it('switches to the context asked for', () => {
    const kc = loadKubeConfig({ kubeconfig: join(dir, 'flag.yaml'), context: 'staging', env: {} });
    expect(server(kc)).toBe('https://flag.example/staging');
  });

  it('names the contexts there are when the one asked for is missing', () => {
    expect(() =>
      loadKubeConfig({ kubeconfig: join(dir, 'flag.yaml'), context: 'prod', env: {} }),
    ).toThrow(/there is no context "prod" .*Use one of: main, staging/);
  });

  it('says how to configure it when no configuration exists', () => {
    const attempt = () =>
      loadKubeConfig({ env: {}, homeDir: empty(), serviceAccountDir: join(dir, 'none') });
    expect(attempt).toThrow(UserError);
    expect(attempt).toThrow(
      /^no Kubernetes configuration found: pass --kubeconfig or set KUBECONFIG/,
    );
  });

  it('says which file is missing', () => {
    expect(() => loadKubeConfig({ kubeconfig: join(dir, 'nope.yaml'), env: {} })).toThrow(
      /the kubeconfig file .*nope\.yaml \(from --kubeconfig\) does not exist/,
    );
  });
});
