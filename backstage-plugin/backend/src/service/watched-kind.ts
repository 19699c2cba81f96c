import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import { ObjectCache } from '@greenlight/core';
import type { CacheListener, ObjectType } from '@greenlight/core';

/**
 * One kind of object, watched in every namespace or in each of a list of them (one
 * ObjectCache per namespace: a watch has a single namespace or all).
 */
export class WatchedKind<T extends KubernetesObject> {
  readonly type: ObjectType;
  readonly #caches: ObjectCache<T>[];
  readonly #byNamespace: Map<string, ObjectCache<T>> | undefined;
  readonly #settled: Promise<void>;

  constructor(
    kc: KubeConfig,
    type: ObjectType,
    namespaces: string[],
    onError: (error: Error) => void,
  ) {
    this.type = type;
    const outcomes: Promise<void>[] = [];
    const cacheFor = (namespace?: string) => {
      let settle!: () => void;
      outcomes.push(new Promise<void>((resolve) => (settle = resolve)));
      const cache = new ObjectCache<T>(kc, namespace ? { ...type, namespace } : type, {
        onError(error) {
          settle();
          onError(error);
        },
      });
      cache.start().then(settle, settle);
      return cache;
    };
    this.#caches = namespaces.length === 0 ? [cacheFor()] : namespaces.map(cacheFor);
    this.#byNamespace =
      namespaces.length === 0
        ? undefined
        : new Map(namespaces.map((namespace, index) => [namespace, this.#caches[index]!]));
    this.#settled = Promise.all(outcomes).then(() => undefined);
  }

  /** Resolves once every watch has synced or failed at least once. */
  settled(): Promise<void> {
    return this.#settled;
  }

  get synced(): boolean {
    return this.#caches.every((cache) => cache.synced);
  }

  get lastError(): Error | undefined {
    return this.#caches.find((cache) => cache.lastError)?.lastError;
  }

  get(namespace: string, name: string): T | undefined {
    const cache = this.#byNamespace ? this.#byNamespace.get(namespace) : this.#caches[0];
    return cache?.get(namespace, name);
  }

  list(namespace?: string): T[] {
    if (namespace !== undefined && this.#byNamespace) {
      return this.#byNamespace.get(namespace)?.list(namespace) ?? [];
    }
    return this.#caches.flatMap((cache) => cache.list(namespace));
  }

  /** Listen to every change of every namespace's watch; returns the function that stops listening. */
  onChange(listener: CacheListener<T>): () => void {
    const stops = this.#caches.map((cache) => cache.onChange(listener));
    return () => stops.forEach((stop) => stop());
  }

  stop(): void {
    for (const cache of this.#caches) cache.stop();
  }
}
