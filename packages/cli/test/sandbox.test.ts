import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { createKubeClient } from '@greenlight/core';
import { eventually } from '@greenlight/test-kit/cluster';
import { startCli } from '@greenlight/test-kit/processes/run-cli';

describe('greenlight sandbox', () => {
  it('serves the Kubernetes API stand-in in the foreground with a kubeconfig for it', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'greenlight-sandbox-')), 'nested', 'kubeconfig');
    const sandbox = startCli(['sandbox', '--kubeconfig-out', file]);
    await eventually(() => sandbox.out().includes('Press Ctrl-C'));
    expect(sandbox.out()).toContain('not a cluster');
    expect(sandbox.out()).toContain(`export KUBECONFIG=${file}`);
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const kc = new KubeConfig();
    kc.loadFromString(readFileSync(file, 'utf8'));
    const kube = createKubeClient(kc);
    expect(await kube.list({ apiVersion: 'flagger.app/v1beta1', kind: 'Canary' })).toEqual([]);

    sandbox.interrupt();
    expect((await sandbox.done).code).toBe(0);
    await expect(kube.list({ apiVersion: 'apps/v1', kind: 'Deployment' })).rejects.toThrow();
  });

  it('refuses a --port that is taken', async () => {
    const first = startCli(['sandbox', '--kubeconfig-out', join(tmpdir(), `gl-${process.pid}-a`)]);
    await eventually(() => first.out().includes('Press Ctrl-C'));
    const port = /127\.0\.0\.1:(\d+)/.exec(first.out())?.[1] ?? '';
    const second = await startCli(['sandbox', '--port', port]).done;
    first.interrupt();
    await first.done;
    expect(second.code).toBe(2);
    expect(second.err).toContain(`--port: port ${port} is already in use`);
  });
});
