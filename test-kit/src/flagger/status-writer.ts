// The test kit's one Flagger status writer: what Flagger v1.44 writes during a Linkerd
// canary's analysis, written by hand through the API (with a bearer token when the API
// stand-in requires one): the SMI TrafficSplit weights (pkg/router/smi.go), the `-primary`
// Deployment on promotion, the Canary's status through /status with its Promoted condition
// (pkg/controller/scheduler.go), and the webhook body Flagger sends for that status
// (pkg/controller/webhook.go). The sandbox's controller writes its own: the kit depends on
// the sandbox, not the other way round.
import { createHash } from 'node:crypto';
import type { KubernetesObject } from '@kubernetes/client-node';
import type { Canary, CanaryCondition } from 'flagger-types';
import { canaryChecksum, type KubeClient } from '@greenlight/core';
import { chatbotDeployment } from '../cluster/cluster.ts';

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

/**
 * MakeStatusConditions (pkg/canary/status.go): the Promoted condition for `phase`. When the
 * current one has the same status and reason Flagger keeps it as it is; with the same status
 * (Unknown from Progressing to Finalising) it keeps its lastTransitionTime, so that time
 * marks when an analysis began, and a new one is set when the status changes (True at
 * Initialized and Succeeded, False at Failed). Approvals bind to that time.
 */
export function promotedCondition(
  current: CanaryCondition | undefined,
  phase: string,
  now: string,
): CanaryCondition {
  // Flagger's default: any other phase reads as an analysis under way.
  const wanted = PROMOTED[phase] ?? (PROMOTED.Progressing as (typeof PROMOTED)[string]);
  if (current && current.status === wanted.status && current.reason === wanted.reason) {
    return current;
  }
  const lastTransitionTime =
    current && current.status === wanted.status ? (current.lastTransitionTime ?? now) : now;
  return {
    type: 'Promoted',
    ...wanted,
    lastUpdateTime: now,
    lastTransitionTime,
  } as CanaryCondition;
}

/** metav1.Now() as Flagger writes it: RFC 3339, whole seconds. */
export function kubeTime(date: Date): string {
  return date.toISOString().replace(/\.\d+Z$/, 'Z');
}

/** CanaryWebhookPayload for `canary` as it is now: Flagger's checksum of its status. */
export function webhookPayload(
  canary: Canary,
  phase = canary.status?.phase ?? 'Progressing',
): { name: string; namespace: string; phase: string; checksum: string; metadata: object } {
  return {
    name: canary.metadata.name ?? '',
    namespace: canary.metadata.namespace ?? '',
    phase,
    checksum: canaryChecksum(canary.status),
    metadata: {},
  };
}

/** Reads the Canary and returns the body Flagger would POST to a webhook for it now. */
export async function readWebhookPayload(
  kube: KubeClient,
  target: { namespace: string; name: string },
): Promise<ReturnType<typeof webhookPayload>> {
  const canary = await kube.get<Canary>({
    apiVersion: 'flagger.app/v1beta1',
    kind: 'Canary',
    ...target,
  });
  if (!canary)
    throw new Error(`no Canary ${target.namespace}/${target.name} to send a webhook for`);
  return webhookPayload(canary);
}

export interface FlaggerWrites {
  status(name: string, phase: string, extra?: Record<string, unknown>): Promise<void>;
  weights(name: string, green: number): Promise<void>;
  /** Promotion copies the target's pod template (revision included) to the primary. */
  primary(name: string, revision: string): Promise<void>;
  /** Progressing at each step weight. */
  analyse(name: string, steps: number[]): Promise<void>;
  promote(name: string, revision: string): Promise<void>;
  fail(name: string): Promise<void>;
  /** The webhook body Flagger would send for the Canary now (its checksum included). */
  payload(name: string): Promise<ReturnType<typeof webhookPayload>>;
}

/**
 * Flagger's UpdateStatus: the whole status, with its Promoted condition, through /status.
 * `lastAppliedSpec` is the hash of the target's pod template as it is now, as Flagger's
 * SyncStatus writes it when it picks a template up (a stand-in for its Go hash, which
 * differs for every template just as Flagger's does); `extra` may pin it. The Promoted
 * condition follows MakeStatusConditions from the one on the Canary; `now` is Flagger's clock.
 */
export async function writeCanaryStatus(
  apiUrl: string,
  target: { namespace: string; name: string; token?: string },
  phase: string,
  extra: Record<string, unknown> = {},
  now: Date = new Date(),
): Promise<void> {
  // Flagger's status writes retry a conflict (retry.RetryOnConflict in pkg/canary/status.go),
  // so a write racing an annotation patch lands on the newer Canary.
  for (let attempt = 1; ; attempt++) {
    const response = await putCanaryStatus(apiUrl, target, phase, extra, now);
    if (response.ok) return;
    const text = await response.text();
    if (response.status !== 409 || attempt === 5) {
      throw new Error(`status write failed: ${response.status} ${text}`);
    }
  }
}

async function putCanaryStatus(
  apiUrl: string,
  target: { namespace: string; name: string; token?: string },
  phase: string,
  extra: Record<string, unknown>,
  now: Date,
): Promise<Response> {
  const { namespace, name, token } = target;
  const auth: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const url = `${apiUrl}/apis/flagger.app/v1beta1/namespaces/${namespace}/canaries/${name}/status`;
  const current = (await (await fetch(url, { headers: auth })).json()) as KubernetesObject & {
    spec?: { targetRef?: { name?: string } };
    status?: { conditions?: CanaryCondition[] };
  };
  const targetName = current.spec?.targetRef?.name ?? name;
  const deployment = await fetch(
    `${apiUrl}/apis/apps/v1/namespaces/${namespace}/deployments/${targetName}`,
    { headers: auth },
  );
  const template = deployment.ok
    ? ((await deployment.json()) as { spec?: { template?: unknown } }).spec?.template
    : undefined;
  const at = kubeTime(now);
  const promoted = promotedCondition(
    current.status?.conditions?.find((condition) => condition.type === 'Promoted'),
    phase,
    at,
  );
  const body = {
    ...current,
    status: {
      phase,
      failedChecks: 0,
      canaryWeight: 0,
      iterations: 0,
      lastAppliedSpec: template ? templateHash(template) : '5b8d9f7c6d',
      lastTransitionTime: at,
      // Flagger tracks the ConfigMaps and Secrets the pod template uses; these have none.
      trackedConfigs: {},
      conditions: [promoted],
      ...extra,
    },
  };
  return fetch(url, {
    method: 'PUT',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
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
  options: { namespace?: string; token?: string; clock?: () => Date } = {},
): FlaggerWrites {
  const namespace = options.namespace ?? 'openfaas-fn';
  const clock = options.clock ?? (() => new Date());
  const writes: FlaggerWrites = {
    status: (name, phase, extra = {}) =>
      writeCanaryStatus(apiUrl, { namespace, name, token: options.token }, phase, extra, clock()),
    payload: (name) => readWebhookPayload(kube, { namespace, name }),
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
