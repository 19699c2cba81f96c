// The stand-in for kube-controller-manager and the kubelet: nothing here runs pods, so
// this writes each Deployment's /status as they would once every replica of the current
// generation is up. Flagger reads exactly these fields (docs/design.md, "Flagger facts"; fluxcd/flagger
// pkg/canary/deployment_ready.go): generation <= observedGeneration, updatedReplicas >=
// spec.replicas, replicas <= updatedReplicas, availableReplicas >= updatedReplicas, and
// no ProgressDeadlineExceeded condition.
import {
  AppsV1Api,
  type KubeConfig,
  type V1Deployment,
  type V1DeploymentStatus,
} from '@kubernetes/client-node';
import { watchObjects, type WatchHandle } from '@greenlight/core';

export interface StatusShim {
  /** Status writes done so far (for the failure report). */
  readonly writes: number;
  stop(): void;
}

export function startStatusShim(kc: KubeConfig, log: (line: string) => void): Promise<StatusShim> {
  const apps = kc.makeApiClient(AppsV1Api);
  let writes = 0;
  let synced!: () => void;
  const ready = new Promise<void>((resolve) => (synced = resolve));
  const handle: WatchHandle = watchObjects<V1Deployment>(
    kc,
    { apiVersion: 'apps/v1', kind: 'Deployment' },
    {
      onEvent(type, deployment) {
        if (type === 'DELETED' || isCurrent(deployment)) return;
        const { name = '', namespace = '' } = deployment.metadata ?? {};
        apps
          .replaceNamespacedDeploymentStatus({
            name,
            namespace,
            body: { ...deployment, status: rolledOut(deployment) },
          })
          .then(() => {
            writes++;
            log(
              `status: ${namespace}/${name} generation ${deployment.metadata?.generation} rolled out, ${deployment.spec?.replicas ?? 1} replicas`,
            );
          })
          // A conflict means a newer version exists; its own watch event brings it here.
          .catch((error: unknown) =>
            log(`status: ${namespace}/${name}: ${(error as Error).message}`),
          );
      },
      onSynced: () => synced(),
      onError: (error) => log(`status: watch: ${error.message}`),
    },
  );
  return ready.then(() => ({
    get writes() {
      return writes;
    },
    stop: () => handle.stop(),
  }));
}

/** The status of a Deployment whose every replica of the current template is available. */
export function rolledOut(deployment: V1Deployment): V1DeploymentStatus {
  const replicas = deployment.spec?.replicas ?? 1;
  const now = new Date();
  const name = deployment.metadata?.name ?? '';
  return {
    observedGeneration: deployment.metadata?.generation ?? 1,
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
        lastUpdateTime: now,
        lastTransitionTime: now,
      },
      {
        type: 'Progressing',
        status: 'True',
        reason: 'NewReplicaSetAvailable',
        message: `ReplicaSet "${name}" has successfully progressed.`,
        lastUpdateTime: now,
        lastTransitionTime: now,
      },
    ],
  };
}

function isCurrent(deployment: V1Deployment): boolean {
  const status = deployment.status;
  const replicas = deployment.spec?.replicas ?? 1;
  return (
    status?.observedGeneration === deployment.metadata?.generation &&
    (status?.replicas ?? 0) === replicas &&
    (status?.updatedReplicas ?? 0) === replicas &&
    (status?.availableReplicas ?? 0) === replicas
  );
}
