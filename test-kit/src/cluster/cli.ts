// The API stand-in with a kubeconfig file for it, as a user of the CLI would have.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestCluster, type TestCluster } from './cluster.ts';

export interface CliCluster extends TestCluster {
  kubeconfig: string;
  /** The environment a shell with `export KUBECONFIG=...` gives the CLI. */
  env: NodeJS.ProcessEnv;
}

export async function startCliCluster(): Promise<CliCluster> {
  const cluster = await startTestCluster();
  const kubeconfig = join(mkdtempSync(join(tmpdir(), 'greenlight-cli-')), 'kubeconfig');
  writeFileSync(kubeconfig, cluster.api.kubeconfig());
  return { ...cluster, kubeconfig, env: { KUBECONFIG: kubeconfig } };
}
