// Flagger's writes for a Linkerd canary (@greenlight/test-kit/flagger), in the shape the
// CLI's tests call them.
import type { KubernetesObject } from '@kubernetes/client-node';
import type { CanaryStatus } from 'flagger-types';
import type { KubeClient } from '@greenlight/core';
import type { ApiServer } from '@greenlight/sandbox';
import { chatbotDeployment } from '@greenlight/test-kit/cluster';
import { writeCanaryStatus, writeTrafficSplit } from '@greenlight/test-kit/flagger';

const NS = 'openfaas-fn';

/** Flagger's promotion copies the target's pod template, revision annotation included. */
export async function setPrimary(kube: KubeClient, revision: string, name = 'chatbot') {
  await kube.apply(chatbotDeployment(`${name}-primary`, NS, revision) as KubernetesObject);
}

/** SmiRouter.SetRoutes: weights as resource.Quantity strings on the two backends. */
export async function setWeights(kube: KubeClient, green: number, name = 'chatbot') {
  await writeTrafficSplit(kube, { namespace: NS, name }, green);
}

/** Flagger's UpdateStatus: the whole status, through the /status subresource. */
export async function setStatus(
  api: ApiServer,
  status: Partial<CanaryStatus> & { phase: string },
  name = 'chatbot',
) {
  const { phase, ...extra } = status;
  await writeCanaryStatus(api.url, { namespace: NS, name }, phase, extra);
}
