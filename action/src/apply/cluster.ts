// The cluster the action talks to: the `kubeconfig` input (written to a 0600 file in the
// runner's temp folder, removed when the action ends or is cancelled), else KUBECONFIG /
// ~/.kube/config.
// Reached once up front, with a read, so an unreachable cluster or a missing Flagger CRD
// fails the step before anything is built or written.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { FLAGGER_API_VERSION, type Canary } from 'flagger-types';
import {
  createKubeClient,
  loadKubeConfig,
  KubeApiError,
  retriable,
  UserError,
  withRetries,
  type KubeClient,
} from '@greenlight/core';
import { removeOnSignal } from './cleanup-on-signal.ts';

export interface Cluster {
  kc: KubeConfig;
  kube: KubeClient;
  /** The Canaries in the namespace when the action started. */
  canaries: Canary[];
  close(): Promise<void>;
}

export async function connectCluster(
  kubeconfig: string | undefined,
  namespace: string,
  runnerTemp: string,
): Promise<Cluster> {
  let folder: string | undefined;
  let forget = () => {};
  const close = async () => {
    if (folder) await rm(folder, { recursive: true, force: true });
    forget();
  };
  try {
    let file: string | undefined;
    if (kubeconfig) {
      folder = await mkdtemp(join(runnerTemp, 'greenlight-'));
      forget = removeOnSignal(folder);
      file = join(folder, 'kubeconfig');
      await writeFile(file, kubeconfig, { mode: 0o600 });
    }
    const kc = loadConfig(file);
    // Every read and write of the deploy rides out a transient 5xx, 429 or dropped connection.
    const kube = withRetries(createKubeClient(kc));
    const canaries = await reach(kube, kc, namespace, Boolean(kubeconfig));
    return { kc, kube, canaries, close };
  } catch (err) {
    await close();
    throw err;
  }
}

function loadConfig(file: string | undefined): KubeConfig {
  if (!file) return loadKubeConfig({});
  try {
    // The user knows the temporary file only as the input.
    return loadKubeConfig({ kubeconfig: file, kubeconfigName: 'the input' });
  } catch (err) {
    // Core's hint is a CLI's (`kubectl config view`, `--context`): keep core's reason, give
    // the input's own fix.
    const why =
      err instanceof UserError
        ? `${err.reason}${err.line ? ` (line ${err.line})` : ''}`
        : String(err);
    throw new UserError(`is not a usable kubeconfig (${why})`, {
      field: 'kubeconfig',
      hint: 'Pass the whole kubeconfig file from a secret, with a current-context whose cluster is in it',
    });
  }
}

async function reach(
  kube: KubeClient,
  kc: KubeConfig,
  namespace: string,
  fromInput: boolean,
): Promise<Canary[]> {
  try {
    return await kube.list<Canary>({ apiVersion: FLAGGER_API_VERSION, kind: 'Canary' }, namespace);
  } catch (err) {
    const server = kc.getCurrentCluster()?.server ?? 'the cluster';
    const why = (err as Error).message;
    throw new UserError(`cannot list Canaries in namespace ${namespace} at ${server}: ${why}`, {
      field: fromInput ? 'kubeconfig' : 'KUBECONFIG',
      // A 5xx or 429 after the retries is the API's, not the kubeconfig's; a refused
      // connection (no status code) is where the kubeconfig points.
      hint:
        retriable(err) && (err as KubeApiError).code !== undefined
          ? 'The API server kept failing (tried 4 times); run the job again once it answers'
          : /CustomResourceDefinition|does not serve/.test(why)
            ? 'Install Flagger (its CRDs) in the cluster first'
            : 'Check that the cluster is reachable from the runner and the credentials may list canaries.flagger.app',
    });
  }
}
