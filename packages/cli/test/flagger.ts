// Writes objects as Flagger v1.44 does for a Linkerd canary: the `-primary` Deployment, the
// SMI TrafficSplit (pkg/router/smi.go) and the Canary's status through /status.
import type { KubernetesObject } from '@kubernetes/client-node';
import type { CanaryStatus } from 'flagger-types';
import type { KubeClient } from '@greenlight/core';
import type { ApiServer } from '@greenlight/sandbox';
import { chatbotDeployment } from '../../../test/support/cluster.ts';

const NS = 'openfaas-fn';

/** Flagger's promotion copies the target's pod template, revision annotation included. */
export async function setPrimary(kube: KubeClient, revision: string, name = 'chatbot') {
  await kube.apply(chatbotDeployment(`${name}-primary`, NS, revision) as KubernetesObject);
}

/** SmiRouter.SetRoutes: weights as resource.Quantity strings on the two backends. */
export async function setWeights(kube: KubeClient, green: number, name = 'chatbot') {
  await kube.apply({
    apiVersion: 'split.smi-spec.io/v1alpha1',
    kind: 'TrafficSplit',
    metadata: { name, namespace: NS },
    spec: {
      service: name,
      backends: [
        { service: `${name}-primary`, weight: String(100 - green) },
        { service: `${name}-canary`, weight: String(green) },
      ],
    },
  } as KubernetesObject);
}

// The Promoted condition Flagger sets with each phase (pkg/controller/scheduler.go).
const PROMOTED: Record<string, { status: string; reason: string; message: string }> = {
  Progressing: {
    status: 'Unknown',
    reason: 'Progressing',
    message: 'New revision detected, progressing canary analysis.',
  },
  WaitingPromotion: {
    status: 'Unknown',
    reason: 'WaitingPromotion',
    message: 'Waiting for approval.',
  },
  Succeeded: {
    status: 'True',
    reason: 'Succeeded',
    message: 'Canary analysis completed successfully, promotion finished.',
  },
  Failed: {
    status: 'False',
    reason: 'Failed',
    message: 'Canary analysis failed, Deployment scaled to zero.',
  },
};

/** Flagger's UpdateStatus: the whole status, through the /status subresource. */
export async function setStatus(
  api: ApiServer,
  status: Partial<CanaryStatus> & { phase: string },
  name = 'chatbot',
) {
  const url = `${api.url}/apis/flagger.app/v1beta1/namespaces/${NS}/canaries/${name}/status`;
  const current = (await (await fetch(url)).json()) as KubernetesObject;
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const body = {
    ...current,
    status: {
      failedChecks: 0,
      canaryWeight: 0,
      iterations: 0,
      lastAppliedSpec: '5b8d9f7c6d',
      lastTransitionTime: now,
      conditions: [
        {
          type: 'Promoted',
          ...PROMOTED[status.phase],
          lastUpdateTime: now,
          lastTransitionTime: now,
        },
      ],
      ...status,
    },
  };
  const response = await fetch(url, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok)
    throw new Error(`status write failed: ${response.status} ${await response.text()}`);
}
