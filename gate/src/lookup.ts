import type { KubernetesObject } from '@kubernetes/client-node';
import type { ObjectReader } from '@greenlight/core';

/**
 * What the gate reads its decisions from: a watch-backed cache (core's ObjectCache).
 * Lookups are in memory, so a decision costs no Kubernetes API request.
 */
export interface ObjectLookup<T extends KubernetesObject> {
  /**
   * False until the first list has been received, while a relist is pending, while the API
   * cannot be reached, and while the watch has been silent past its bound.
   */
  readonly synced: boolean;
  get(namespace: string, name: string): T | undefined;
  /** What the cache holds, e.g. `Deployment (openfaas-fn)`, for /readyz. */
  readonly description?: string;
  /** Why it is not synced, when it failed; cleared once synced again. */
  readonly lastError?: Error;
}

/**
 * Single reads through the Kubernetes API, to confirm an allow on live objects (core's
 * createObjectReader): undefined for an object that does not exist, a throw otherwise.
 */
export type LiveReader = ObjectReader;
