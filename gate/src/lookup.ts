import type { KubernetesObject } from '@kubernetes/client-node';

/**
 * What the gate reads its decisions from: a watch-backed cache (core's ObjectCache).
 * Lookups are in memory, so a decision costs no Kubernetes API request.
 */
export interface ObjectLookup<T extends KubernetesObject> {
  /** False until the first list has been received, and while a relist is pending. */
  readonly synced: boolean;
  get(namespace: string, name: string): T | undefined;
}
