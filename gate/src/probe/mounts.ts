import type { V1Container, V1Deployment, V1KeyToPath } from '@kubernetes/client-node';

// A Canary is written by whoever may write Canaries in its namespace, which need not be the
// team whose bot holds a signing Secret there. The prober signs only with a Secret key the
// Canary's target Deployment itself is given — the bot that verifies with that secret — so
// team B's Canary cannot borrow team A's Secret, nor another key of a Secret team B's bot is
// given one key of (a volume's `items`, an env `secretKeyRef`) (docs/design.md, "Chat probes").

/**
 * Whether `deployment`'s pods are given key `key` of Secret `name` (any key of it when not
 * given): an env secretKeyRef of that key, an envFrom secretRef, or a secret or projected
 * volume without `items` or with that key among them.
 */
export function referencesSecretKey(
  deployment: V1Deployment | undefined,
  name: string,
  key?: string,
): boolean {
  const pod = deployment?.spec?.template?.spec;
  const containers: V1Container[] = [...(pod?.containers ?? []), ...(pod?.initContainers ?? [])];
  const byEnv = containers.some(
    (container) =>
      (container.env ?? []).some(
        (v) =>
          v.valueFrom?.secretKeyRef?.name === name &&
          (key === undefined || v.valueFrom.secretKeyRef.key === key),
      ) || (container.envFrom ?? []).some((source) => source.secretRef?.name === name),
  );
  const byVolume = (pod?.volumes ?? []).some(
    (volume) =>
      (volume.secret?.secretName === name && gives(volume.secret.items, key)) ||
      (volume.projected?.sources ?? []).some(
        (source) => source.secret?.name === name && gives(source.secret.items, key),
      ),
  );
  return byEnv || byVolume;
}

/** A volume without `items` mounts every key; with them, only those listed. */
function gives(items: V1KeyToPath[] | undefined, key: string | undefined): boolean {
  return (
    key === undefined || !items || items.length === 0 || items.some((item) => item.key === key)
  );
}
