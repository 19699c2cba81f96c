// Flagger's writes for a Linkerd canary (test/support/flagger-writes.ts), in the shape the
// action's tests call them, so the action's follow sees the phases of a real analysis.
import type { KubernetesObject, V1Deployment } from '@kubernetes/client-node';
import type { ApiServer } from '@greenlight/sandbox';
import { REVISION_ANNOTATION, type KubeClient } from '@greenlight/core';
import { chatbotDeployment, eventually } from '../../../test/support/cluster.ts';
import { writeCanaryStatus, writeTrafficSplit } from '../../../test/support/flagger-writes.ts';

export const NS = 'openfaas-fn';

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
}

/** Flagger's analysis up to max weight: Progressing at each step weight. */
export async function analyse(
  api: ApiServer,
  kube: KubeClient,
  name: string,
  steps: number[],
): Promise<void> {
  for (const weight of steps) {
    await setWeights(kube, name, weight);
    await setStatus(api, name, 'Progressing', { canaryWeight: weight });
  }
}

/** Promotion: the primary gets the candidate's pod template, traffic goes back to it. */
export async function promote(
  api: ApiServer,
  kube: KubeClient,
  name: string,
  revision: string,
): Promise<void> {
  await kube.apply(chatbotDeployment(`${name}-primary`, NS, revision) as KubernetesObject);
  await setWeights(kube, name, 0);
  await setStatus(api, name, 'Succeeded');
}
