// Writes what Flagger v1.44 writes for a Linkerd canary, through the API stand-in, so the
// action's follow sees the phases of a real analysis: the SMI TrafficSplit weights
// (pkg/router/smi.go), the `-primary` Deployment on promotion, and the Canary's status
// through /status with its Promoted condition (pkg/controller/scheduler.go).
import type { KubernetesObject, V1Deployment } from '@kubernetes/client-node';
import type { ApiServer } from '@greenlight/sandbox';
import { REVISION_ANNOTATION, type KubeClient } from '@greenlight/core';
import { chatbotDeployment, eventually } from '../../../test/support/cluster.ts';

export const NS = 'openfaas-fn';

const PROMOTED: Record<string, { status: string; reason: string; message: string }> = {
  Initialized: {
    status: 'True',
    reason: 'Initialized',
    message: 'Deployment initialization completed.',
  },
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
  Promoting: {
    status: 'Unknown',
    reason: 'Promoting',
    message: 'Canary analysis completed, starting primary rolling update.',
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

export async function setStatus(
  api: ApiServer,
  name: string,
  phase: string,
  extra: Record<string, unknown> = {},
): Promise<void> {
  const url = `${api.url}/apis/flagger.app/v1beta1/namespaces/${NS}/canaries/${name}/status`;
  const current = (await (await fetch(url)).json()) as KubernetesObject;
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const promoted = PROMOTED[phase] ?? PROMOTED.Progressing;
  const body = {
    ...current,
    status: {
      phase,
      failedChecks: 0,
      canaryWeight: 0,
      iterations: 0,
      lastAppliedSpec: '5b8d9f7c6d',
      lastTransitionTime: now,
      conditions: [{ type: 'Promoted', ...promoted, lastUpdateTime: now, lastTransitionTime: now }],
      ...extra,
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
