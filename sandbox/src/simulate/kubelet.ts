import type { KubeConfig, V1Deployment } from '@kubernetes/client-node';
import { createKubeClient, ObjectCache } from '@greenlight/core';
import { StatusWriter } from '../controller/status-writer.ts';
import { replicaSetOf } from './replica-sets.ts';

// Not Flagger: a stand-in for what Kubernetes' Deployment controller and the kubelet
// report once a Deployment's pods run. The sandbox runs no real pods (./pods.ts runs only
// their code, for the demo's prober), so whenever a
// Deployment's spec changes this writes the `/status` of a finished rollout — observed
// generation, every replica updated, ready and available — which is what Flagger's
// readiness checks wait for (docs/design.md, "Flagger facts") — after the ReplicaSet the
// controller keeps of that pod template (replica-sets.ts). No rollout ever gets stuck here.
// The one kubelet shim: the e2e tier runs it against a real kube-apiserver too (through
// @greenlight/test-kit/kubelet). It lives here because the kit depends on the sandbox.

export interface KubeletOptions {
  kubeconfig: KubeConfig;
  /** How long a rollout "takes" before its status is written; default 0. */
  rolloutMs?: number;
  log?: (line: string) => void;
  /** Also log each status written, not only the failed writes (the e2e failure report). */
  logWrites?: boolean;
}

export interface Kubelet {
  ready: Promise<void>;
  stop(): void;
}

export function startKubelet(options: KubeletOptions): Kubelet {
  const writer = new StatusWriter(options.kubeconfig);
  const kube = createKubeClient(options.kubeconfig);
  const deployments = new ObjectCache<V1Deployment>(options.kubeconfig, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
  });
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;

  const settle = async (deployment: V1Deployment) => {
    const { namespace = '', name = '' } = deployment.metadata ?? {};
    const status = rolledOut(deployment, new Date());
    if (!status) return;
    try {
      const set = replicaSetOf(deployment);
      // Made once per template: a 409 (made before) is taken as done.
      if (set) await kube.create(set);
      await writer.deployment(namespace, name, status);
    } catch (error) {
      // Deleted meanwhile, or a newer generation whose own change will settle it.
      options.log?.(`kubelet: ${(error as Error).message}`);
      return;
    }
    if (options.logWrites) {
      options.log?.(
        `kubelet: ${namespace}/${name} generation ${deployment.metadata?.generation} rolled out, ${deployment.spec?.replicas ?? 1} replicas`,
      );
    }
  };

  deployments.onChange(({ type, object }) => {
    if (stopped || type === 'DELETED' || !rolledOut(object, new Date())) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (stopped) return;
      // The newest copy: a later change may have landed during the rollout.
      const current = deployments.get(
        object.metadata?.namespace ?? '',
        object.metadata?.name ?? '',
      );
      if (current) void settle(current);
    }, options.rolloutMs ?? 0);
    timers.add(timer);
  });

  return {
    ready: deployments.start(),
    stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      deployments.stop();
    },
  };
}

/** The status of `deployment` once rolled out, or undefined when it already says so. */
export function rolledOut(deployment: V1Deployment, now: Date): object | undefined {
  const generation = deployment.metadata?.generation ?? 0;
  // The API server defaults `replicas` to 1; the stand-in does no defaulting.
  const replicas = deployment.spec?.replicas ?? 1;
  const current = deployment.status ?? {};
  if (
    (current.observedGeneration ?? 0) >= generation &&
    current.replicas === replicas &&
    current.updatedReplicas === replicas &&
    current.availableReplicas === replicas
  ) {
    return undefined;
  }
  const at = now.toISOString().replace(/\.\d+Z$/, 'Z');
  const name = deployment.metadata?.name ?? '';
  return {
    observedGeneration: generation,
    replicas,
    updatedReplicas: replicas,
    readyReplicas: replicas,
    availableReplicas: replicas,
    conditions: [
      {
        type: 'Available',
        status: 'True',
        reason: 'MinimumReplicasAvailable',
        message: 'Deployment has minimum availability.',
        lastUpdateTime: at,
        lastTransitionTime: at,
      },
      {
        type: 'Progressing',
        status: 'True',
        reason: 'NewReplicaSetAvailable',
        message: `ReplicaSet "${name}" has successfully progressed.`,
        lastUpdateTime: at,
        lastTransitionTime: at,
      },
    ],
  };
}
