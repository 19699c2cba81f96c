import { createHash } from 'node:crypto';
import type { V1Deployment, V1ReplicaSet } from '@kubernetes/client-node';

// What Kubernetes' Deployment controller keeps of each pod template a Deployment ran: a
// ReplicaSet it controls, named and labelled by a hash of the template. Greenlight reads the
// `-primary`'s ones as proof of what Flagger promoted (core rollback/proof.ts). The real
// controller hashes with FNV over the Go struct; any stable hash of the template does here.

/** The ReplicaSet the Deployment controller would make for `deployment`'s pod template now. */
export function replicaSetOf(deployment: V1Deployment): V1ReplicaSet | undefined {
  const { namespace, name, uid } = deployment.metadata ?? {};
  const template = deployment.spec?.template;
  if (!namespace || !name || !uid || !template) return undefined;
  const hash = createHash('sha256').update(JSON.stringify(template)).digest('hex').slice(0, 10);
  const labels = { ...(template.metadata?.labels ?? {}), 'pod-template-hash': hash };
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${name}-${hash}`,
      namespace,
      labels,
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name,
          uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: {
      replicas: deployment.spec?.replicas ?? 1,
      selector: {
        ...deployment.spec?.selector,
        matchLabels: {
          ...(deployment.spec?.selector?.matchLabels ?? {}),
          'pod-template-hash': hash,
        },
      },
      template: { ...template, metadata: { ...template.metadata, labels } },
    },
  };
}
