// An informer: an in-memory copy of every object of one kind (in one namespace or all),
// kept current by `watchObjects`. Reads cost no API request, so the gate can decide and
// the Backstage backend can answer from memory.
//
// `synced` is true while the copy is complete and its watch is live. It is false before the
// first list, while relisting after 410 Gone, and while the API cannot be reached (a failed
// reconnect or list) until the watch is back, and while its watch has delivered no event
// and no bookmark for `silenceTimeoutMs` (a stalled connection; see watch.ts); a dropped
// watch that reconnects at once does not unset it, since it resumes from its
// resourceVersion and loses nothing.
// The objects stay readable meanwhile — last known state — so a consumer that must fail
// closed (the gate) checks `synced`, and one that prefers stale data to none (a dashboard)
// need not.
import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import {
  watchObjects,
  keyOf,
  type WatchEventType,
  type WatchHandle,
  type WatchOptions,
  type WatchedType,
} from './list-watch.ts';

export interface CacheChange<T> {
  type: WatchEventType;
  object: T;
  /** The object as it was before a MODIFIED or DELETED change. */
  previous?: T;
}

export type CacheListener<T> = (change: CacheChange<T>) => void;

export interface ObjectCacheOptions extends WatchOptions {
  /** Called on every failure; the cache recovers by itself. */
  onError?(err: Error): void;
}

export class ObjectCache<T extends KubernetesObject = KubernetesObject> {
  readonly type: WatchedType;
  /** The most recent failure, cleared when the cache is synced again. */
  lastError: Error | undefined;
  private readonly kc: KubeConfig;
  private readonly options: ObjectCacheOptions;
  private readonly objects = new Map<string, T>();
  private readonly listeners = new Set<CacheListener<T>>();
  private readonly syncListeners = new Set<() => void>();
  private readonly firstSync: Promise<void>;
  private resolveFirstSync!: () => void;
  private rejectFirstSync!: (err: Error) => void;
  private handle: WatchHandle | undefined;
  private isSynced = false;
  private stopped = false;

  constructor(kc: KubeConfig, type: WatchedType, options: ObjectCacheOptions = {}) {
    this.kc = kc;
    this.type = type;
    this.options = options;
    this.firstSync = new Promise<void>((resolve, reject) => {
      this.resolveFirstSync = resolve;
      this.rejectFirstSync = reject;
    });
    // Nobody may be awaiting start(); an unobserved rejection must not crash the process.
    this.firstSync.catch(() => undefined);
  }

  /**
   * Start listing and watching. Resolves once the first list is in; with `timeoutMs`,
   * rejects if that takes longer (the cache keeps trying).
   */
  start(options: { timeoutMs?: number } = {}): Promise<void> {
    if (this.stopped) {
      return Promise.reject(new Error(`the ${this.description} cache was stopped`));
    }
    this.handle ??= watchObjects<T>(
      this.kc,
      this.type,
      {
        onEvent: (type, object) => this.apply(type, object),
        onSynced: () => {
          this.isSynced = true;
          this.lastError = undefined;
          this.resolveFirstSync();
          for (const listener of this.syncListeners) {
            try {
              listener();
            } catch {
              // As for change listeners: one listener's failure must not stop the others.
            }
          }
        },
        onError: (err) => {
          this.isSynced = false;
          this.lastError = err;
          this.options.onError?.(err);
        },
      },
      this.options,
    );
    if (options.timeoutMs === undefined) return this.firstSync;
    return withTimeout(this.firstSync, options.timeoutMs, () => {
      const why = this.lastError ? `: ${this.lastError.message}` : '';
      return new Error(
        `the ${this.description} cache did not sync within ${options.timeoutMs} ms${why}`,
      );
    });
  }

  get synced(): boolean {
    return this.isSynced;
  }

  /** The resourceVersion the cache has seen up to. */
  get resourceVersion(): string | undefined {
    return this.handle?.resourceVersion;
  }

  /** The object, frozen; undefined when absent. Use '' as namespace for cluster-scoped kinds. */
  get(namespace: string, name: string): T | undefined {
    return this.objects.get(`${namespace}/${name}`);
  }

  /** Every cached object, or those in `namespace`, sorted by namespace and name. */
  list(namespace?: string): T[] {
    return [...this.objects.entries()]
      .filter(([, o]) => namespace === undefined || (o.metadata?.namespace ?? '') === namespace)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, o]) => o);
  }

  /** Listen to changes after they are applied; returns the function that stops listening. */
  onChange(listener: CacheListener<T>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Listen to the cache becoming synced: the first list, a relist, a failed watch back.
   * A consumer that acts only while several caches are synced needs this as well as
   * onChange: a cache that catches up with nothing changed emits no change, so the change
   * that arrived meanwhile in another cache would otherwise never be acted on.
   */
  onSync(listener: () => void): () => void {
    this.syncListeners.add(listener);
    return () => this.syncListeners.delete(listener);
  }

  stop(): void {
    this.stopped = true;
    this.isSynced = false;
    this.handle?.stop();
    this.rejectFirstSync(new Error(`the ${this.description} cache was stopped before it synced`));
  }

  private apply(type: WatchEventType, object: T): void {
    const key = keyOf(object);
    const previous = this.objects.get(key);
    const frozen = deepFreeze(object);
    if (type === 'DELETED') this.objects.delete(key);
    else this.objects.set(key, frozen);
    const change: CacheChange<T> = previous
      ? { type, object: frozen, previous }
      : { type, object: frozen };
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch {
        // One listener's failure must not keep the others, or the cache, from updating.
      }
    }
  }

  /** What the cache holds, for messages: `Deployment` or `Deployment (openfaas-fn)`. */
  get description(): string {
    return this.type.namespace ? `${this.type.kind} (${this.type.namespace})` : this.type.kind;
  }
}

function deepFreeze<V>(value: V): V {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

function withTimeout(promise: Promise<void>, ms: number, error: () => Error): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(error()), ms);
    promise.then(
      () => {
        clearTimeout(timer);
        resolve();
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err as Error);
      },
    );
  });
}
