// Flagger's steps for one function in openfaas-fn, in the shape the action's tests call
// them: each step writes through the kit's one status writer (status-writer.ts).
import type { KubernetesObject, V1Deployment } from '@kubernetes/client-node';
import type { ApiServer } from '@greenlight/sandbox';
import { REVISION_ANNOTATION, type KubeClient } from '@greenlight/core';
import { chatbotDeployment, eventually } from '../cluster/cluster.ts';
import {
  flaggerWrites,
  writeCanaryStatus,
  writeTrafficSplit,
  type FlaggerWrites,
} from './status-writer.ts';

export const NS = 'openfaas-fn';

const writer = (api: ApiServer, kube: KubeClient): FlaggerWrites =>
  flaggerWrites(api.url, kube, { namespace: NS });

/** What faas-netes leaves in the cluster for a deployed function: target and primary at `revision`. */
export async function existingFunction(
  kube: KubeClient,
  name: string,
  revision: string,
): Promise<void> {
  await kube.apply(chatbotDeployment(name, NS, revision) as KubernetesObject);
  await kube.apply(chatbotDeployment(`${name}-primary`, NS, revision) as KubernetesObject);
}

export async function setWeights(kube: KubeClient, name: string, green: number): Promise<void> {
  await writeTrafficSplit(kube, { namespace: NS, name }, green);
}

export async function setStatus(
  api: ApiServer,
  name: string,
  phase: string,
  extra: Record<string, unknown> = {},
): Promise<void> {
  await writeCanaryStatus(api.url, { namespace: NS, name }, phase, extra);
}

export async function revisionOfTarget(
  kube: KubeClient,
  name: string,
): Promise<string | undefined> {
  const deployment = await kube.get<V1Deployment>({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    namespace: NS,
    name,
  });
  return deployment?.spec?.template.metadata?.annotations?.[REVISION_ANNOTATION];
}

export async function waitForRevision(
  kube: KubeClient,
  name: string,
  revision: string,
): Promise<void> {
  await eventually(async () => (await revisionOfTarget(kube, name)) === revision, 15000);
  // A first deploy points the target at the revision before it applies the Canary; Flagger
  // writes a status only on a Canary that exists, and so do the steps after this one.
  const ref = { apiVersion: 'flagger.app/v1beta1', kind: 'Canary', namespace: NS, name };
  await eventually(async () => (await kube.get(ref)) !== undefined, 15000);
}

/** Flagger's analysis up to max weight: Progressing at each step weight. */
export async function analyse(
  api: ApiServer,
  kube: KubeClient,
  name: string,
  steps: number[],
): Promise<void> {
  await writer(api, kube).analyse(name, steps);
}

/**
 * Promotion: the primary gets the candidate's pod template, traffic goes back to it, and
 * the Canary reads Succeeded (the action's tests skip the Promoting phase in between).
 */
export async function promote(
  api: ApiServer,
  kube: KubeClient,
  name: string,
  revision: string,
): Promise<void> {
  const writes = writer(api, kube);
  await writes.primary(name, revision);
  await writes.weights(name, 0);
  await writes.status(name, 'Succeeded');
}
