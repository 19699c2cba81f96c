import type { V1Container, V1Deployment } from '@kubernetes/client-node';

// A Canary is written by whoever may write Canaries in its namespace, which need not be the
// team whose bot holds a signing Secret there. The prober signs only with a Secret the
// Canary's target Deployment itself references — the bot that verifies with that secret —
// so team B's Canary cannot borrow team A's Secret (docs/design.md, "Chat probes").

/** The names of the Secrets `deployment`'s pods reference: env, envFrom, secret and projected volumes. */
export function secretsReferencedBy(deployment: V1Deployment | undefined): Set<string> {
  const pod = deployment?.spec?.template?.spec;
  const names = new Set<string>();
  const containers: V1Container[] = [...(pod?.containers ?? []), ...(pod?.initContainers ?? [])];
  for (const container of containers) {
    for (const variable of container.env ?? []) add(names, variable.valueFrom?.secretKeyRef?.name);
    for (const source of container.envFrom ?? []) add(names, source.secretRef?.name);
  }
  for (const volume of pod?.volumes ?? []) {
    add(names, volume.secret?.secretName);
    for (const source of volume.projected?.sources ?? []) add(names, source.secret?.name);
  }
  return names;
}

function add(names: Set<string>, name: string | undefined) {
  if (name) names.add(name);
}
