// Test support: what Flagger v1.44 writes during a Linkerd canary's analysis, written by hand
// through the API (with a bearer token when the API stand-in requires one): the SMI TrafficSplit
// weights (pkg/router/smi.go), the `-primary` Deployment on promotion, and the Canary's
// status through /status with its Promoted condition (pkg/controller/scheduler.go).
import { createHash } from 'node:crypto';
import type { KubernetesObject } from '@kubernetes/client-node';
import type { KubeClient } from '@greenlight/core';
import { chatbotDeployment } from './cluster.ts';

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

export interface FlaggerWrites {
  status(name: string, phase: string, extra?: Record<string, unknown>): Promise<void>;
  weights(name: string, green: number): Promise<void>;
  /** Promotion copies the target's pod template (revision included) to the primary. */
  primary(name: string, revision: string): Promise<void>;
  /** Progressing at each step weight. */
  analyse(name: string, steps: number[]): Promise<void>;
  promote(name: string, revision: string): Promise<void>;
  fail(name: string): Promise<void>;
}

/**
 * Flagger's UpdateStatus: the whole status, with its Promoted condition, through /status.
 * `lastAppliedSpec` is the hash of the target's pod template as it is now, as Flagger's
 * SyncStatus writes it when it picks a template up (a stand-in for its Go hash, which
 * differs for every template just as Flagger's does); `extra` may pin it.
 */
export async function writeCanaryStatus(
  apiUrl: string,
  target: { namespace: string; name: string; token?: string },
  phase: string,
  extra: Record<string, unknown> = {},
): Promise<void> {
  const { namespace, name, token } = target;
  const auth: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const url = `${apiUrl}/apis/flagger.app/v1beta1/namespaces/${namespace}/canaries/${name}/status`;
  const current = (await (await fetch(url, { headers: auth })).json()) as KubernetesObject & {
    spec?: { targetRef?: { name?: string } };
  };
  const targetName = current.spec?.targetRef?.name ?? name;
  const deployment = await fetch(
    `${apiUrl}/apis/apps/v1/namespaces/${namespace}/deployments/${targetName}`,
    { headers: auth },
  );
  const template = deployment.ok
    ? ((await deployment.json()) as { spec?: { template?: unknown } }).spec?.template
    : undefined;
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const promoted = PROMOTED[phase] ?? PROMOTED.Progressing;
  const body = {
    ...current,
    status: {
      phase,
      failedChecks: 0,
      canaryWeight: 0,
      iterations: 0,
      lastAppliedSpec: template ? templateHash(template) : '5b8d9f7c6d',
      lastTransitionTime: now,
      conditions: [{ type: 'Promoted', ...promoted, lastUpdateTime: now, lastTransitionTime: now }],
      ...extra,
    },
  };
  const response = await fetch(url, {
    method: 'PUT',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) {
    throw new Error(`status write failed: ${response.status} ${await response.text()}`);
  }
}

/** SmiRouter.SetRoutes: weights as resource.Quantity strings on the two backends. */
export async function writeTrafficSplit(
  kube: KubeClient,
  target: { namespace: string; name: string },
  green: number,
): Promise<void> {
  const { namespace, name } = target;
  await kube.apply({
    apiVersion: 'split.smi-spec.io/v1alpha1',
    kind: 'TrafficSplit',
    metadata: { name, namespace },
    spec: {
      service: name,
      backends: [
        { service: `${name}-primary`, weight: String(100 - green) },
        { service: `${name}-canary`, weight: String(green) },
      ],
    },
  } as KubernetesObject);
}

export function flaggerWrites(
  apiUrl: string,
  kube: KubeClient,
  options: { namespace?: string; token?: string } = {},
): FlaggerWrites {
  const namespace = options.namespace ?? 'openfaas-fn';
  const writes: FlaggerWrites = {
    status: (name, phase, extra = {}) =>
      writeCanaryStatus(apiUrl, { namespace, name, token: options.token }, phase, extra),
    weights: (name, green) => writeTrafficSplit(kube, { namespace, name }, green),
    async primary(name, revision) {
      await kube.apply(
        chatbotDeployment(`${name}-primary`, namespace, revision) as KubernetesObject,
      );
    },
    async analyse(name, steps) {
      for (const weight of steps) {
        await writes.weights(name, weight);
        await writes.status(name, 'Progressing', { canaryWeight: weight });
      }
    },
    async promote(name, revision) {
      await writes.status(name, 'Promoting');
      await writes.primary(name, revision);
      await writes.weights(name, 0);
      await writes.status(name, 'Succeeded');
    },
    async fail(name) {
      await writes.status(name, 'Progressing', { failedChecks: 2 });
      await writes.weights(name, 0);
      await writes.status(name, 'Failed', { failedChecks: 2 });
    },
  };
  return writes;
}

function templateHash(template: unknown): string {
  return createHash('sha256').update(JSON.stringify(template)).digest('hex').slice(0, 10);
}
