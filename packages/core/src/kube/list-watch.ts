// A list-then-watch loop that survives disconnects, in the manner of client-go's reflector:
// list (remember the list's resourceVersion), watch from it, and on a dropped connection
// resume from the last resourceVersion seen (events and BOOKMARKs advance it), so nothing
// is lost or repeated. When the server answers that the resourceVersion is too old
// (410 Gone), relist and emit the difference, so a consumer's copy ends right.
//
// Health, as onSynced/onError report it:
// - a live stream that drops is resumed at once and the view stays synced: nothing is
//   lost, it is only as late as the reconnect;
// - a failed (re)connection, a second drop before the stream delivered anything, an ERROR
//   event, 410 Gone or a failed list are reported with onError, retried with backoff;
// - synced again after a relist, or once a resumed stream delivers a line or has stayed
//   open for RECOVERY_GRACE_MS without an ERROR (a real apiserver sends an expiry ERROR
//   as the first line, right after the headers);
// - a stream that stays open but delivers no event and no BOOKMARK for `silenceTimeoutMs`
//   is not trusted: a connection can stall without closing (a dead NAT entry, a wedged
//   proxy), and a view fed by it would look synced while the cluster moved on. It is
//   reported with onError, so the view is unsynced, and the watch reconnects; this time
//   only a delivered line (an event or a bookmark) makes the view synced again, since a
//   stalled path answers headers as readily as a live one. The apiserver sends a BOOKMARK
//   about once a minute to a watch that asks for them (allowWatchBookmarks), so a live
//   quiet watch never reaches the default bound of 90 s.
//
// TCP keepalive: client-node builds each watch's connection with keepalive on (an undici
// Agent with keepAliveInitialDelay 30 s, as client-go; `createDispatcherOptions` in its
// config.ts) whenever the kubeconfig has TLS settings, as in-cluster config and
// insecure-skip-tls-verify always do, and undici's own default (on, 60 s) applies
// otherwise. Keepalive alone finds a dead peer only after the kernel's probes (minutes on
// Linux's defaults) and never finds a peer that is alive but silent: the silence bound
// above is what bounds how stale the view can be.
import { Watch, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import { KubeApiError, describeSubject, kubeError } from './errors.ts';
import { RawObjectApi } from './object-api.ts';
import type { ObjectType } from './types.ts';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface WatchHandlers<T extends KubernetesObject> {
  onEvent(type: WatchEventType, object: T): void;
  /** The consumer's view is complete: after each (re)list, and when a failed watch is back. */
  onSynced?(): void;
  /** The view may be falling behind (failed reconnects, a failed list, 410 Gone); recovery follows. */
  onError?(err: Error): void;
}

export interface WatchOptions {
  labelSelector?: string;
  /** E.g. `metadata.name=chatbot`, to follow one object. */
  fieldSelector?: string;
  /** The server ends each watch after this long and it is resumed. Default 300. */
  timeoutSeconds?: number;
  /** First delay before retrying after a failure; doubles per failure. Default 200 ms. */
  minBackoffMs?: number;
  /** Longest delay between retries. Default 30 s. */
  maxBackoffMs?: number;
  /**
   * An open watch that delivers no event or bookmark for this long is reported as failed
   * (the view is unsynced) and reconnected. Default 90 s: the apiserver sends a bookmark
   * about every minute.
   */
  silenceTimeoutMs?: number;
}

export const DEFAULT_SILENCE_TIMEOUT_MS = 90_000;

export interface WatchHandle {
  stop(): void;
  /** The resourceVersion the next watch would resume from. */
  readonly resourceVersion: string | undefined;
}

export type WatchedType = ObjectType & { namespace?: string };

const RECOVERY_GRACE_MS = 250;
/** A stream that lived this long was not flapping, even if it delivered nothing. */
const STABLE_STREAM_MS = 5000;

export function watchObjects<T extends KubernetesObject>(
  kc: KubeConfig,
  type: WatchedType,
  handlers: WatchHandlers<T>,
  options: WatchOptions = {},
): WatchHandle {
  // The kinds Greenlight watches are addressed without a discovery request.
  const api = RawObjectApi.create(kc, { knownKinds: true });
  const watch = new Watch(kc);
  const timeoutSeconds = options.timeoutSeconds ?? 300;
  const minBackoffMs = options.minBackoffMs ?? 200;
  const maxBackoffMs = options.maxBackoffMs ?? 30_000;
  const silenceTimeoutMs = options.silenceTimeoutMs ?? DEFAULT_SILENCE_TIMEOUT_MS;
  // client-node's requestTimeoutMs is an inactivity timeout: it aborts a watch whose body
  // has been silent that long (and a connection that takes that long to answer), with a
  // TimeoutError. Its default of 30 s is below the apiserver's minute between bookmarks.
  (watch as unknown as { requestTimeoutMs: number }).requestTimeoutMs = silenceTimeoutMs;
  const subject = describeSubject({ kind: type.kind, namespace: type.namespace });
  const scope = { kind: type.kind, namespace: type.namespace };

  const known = new Map<string, T>();
  let resourceVersion: string | undefined;
  let path: string | undefined;
  let stopped = false;
  let healthy = false;
  /** Consecutive failures, for the backoff. */
  let failures = 0;
  /** Consecutive drops of live streams that delivered nothing. */
  let drops = 0;
  /** Set when a stream fell silent: only a delivered line proves the next one live. */
  let needLine = false;
  let timer: NodeJS.Timeout | undefined;
  let controller: AbortController | undefined;

  const emit = (eventType: WatchEventType, object: T) => {
    try {
      handlers.onEvent(eventType, object);
    } catch {
      // A consumer's failure must not break the watch loop of every other consumer.
    }
  };
  const synced = () => {
    healthy = true;
    handlers.onSynced?.();
  };
  const fail = (err: Error) => {
    healthy = false;
    failures++;
    handlers.onError?.(err);
  };
  const later = (run: () => Promise<void> | void, delayMs: number) => {
    timer = setTimeout(() => {
      timer = undefined;
      if (!stopped) void run();
    }, delayMs);
  };
  const backoff = () => Math.min(maxBackoffMs, minBackoffMs * 2 ** Math.max(0, failures - 1));
  const withType = (object: T): T => ({ ...object, apiVersion: type.apiVersion, kind: type.kind });

  async function list(): Promise<void> {
    try {
      path ??= await api.collectionPath(type.apiVersion, type.kind, type.namespace);
      const result = await api.list<T>(
        type.apiVersion,
        type.kind,
        type.namespace,
        undefined,
        undefined,
        undefined,
        options.fieldSelector,
        options.labelSelector,
      );
      if (stopped) return;
      reconcile(result.items.map(withType));
      resourceVersion = result.metadata?.resourceVersion;
      failures = 0;
      drops = 0;
      needLine = false;
      synced();
      void watchFrom();
    } catch (err) {
      if (stopped) return;
      fail(kubeError('list', scope, err));
      later(list, backoff());
    }
  }

  /** Emit what changed between what the consumer has seen and a fresh list. */
  function reconcile(items: T[]): void {
    const seen = new Set<string>();
    for (const item of items) {
      const key = keyOf(item);
      seen.add(key);
      const before = known.get(key);
      known.set(key, item);
      if (!before) emit('ADDED', item);
      else if (before.metadata?.resourceVersion !== item.metadata?.resourceVersion) {
        emit('MODIFIED', item);
      }
    }
    for (const [key, before] of known) {
      if (seen.has(key)) continue;
      known.delete(key);
      emit('DELETED', before);
    }
  }

  async function watchFrom(): Promise<void> {
    let expired = false;
    let streamError: Error | undefined;
    let finished = false;
    let openedAt: number | undefined;
    let grace: NodeJS.Timeout | undefined;

    const delivered = () => {
      failures = 0;
      drops = 0;
      needLine = false;
      if (grace) clearTimeout(grace);
      if (!healthy) synced();
    };
    const onLine = (
      phase: string,
      object: T & { code?: number; message?: string; reason?: string },
    ) => {
      if (stopped || finished) return;
      const rv = object?.metadata?.resourceVersion;
      switch (phase) {
        case 'ADDED':
        case 'MODIFIED': {
          const item = withType(object);
          known.set(keyOf(item), item);
          resourceVersion = rv ?? resourceVersion;
          delivered();
          emit(phase, item);
          break;
        }
        case 'DELETED': {
          const item = withType(object);
          known.delete(keyOf(item));
          resourceVersion = rv ?? resourceVersion;
          delivered();
          emit('DELETED', item);
          break;
        }
        case 'BOOKMARK':
          resourceVersion = rv ?? resourceVersion;
          delivered();
          break;
        case 'ERROR':
          if (grace) clearTimeout(grace);
          // A real apiserver reports a compacted resourceVersion as an ERROR event whose
          // Status has code 410 (reason Expired or Gone), not as an HTTP status.
          if (object.code === 410) expired = true;
          else {
            streamError = new KubeApiError(
              `the watch of ${subject} failed: ${object.message ?? 'unknown error'}`,
              { code: object.code, reason: object.reason },
            );
          }
          break;
      }
    };
    const onDone = (err: unknown) => {
      if (finished) return;
      finished = true;
      controller = undefined;
      if (grace) clearTimeout(grace);
      if (stopped) return;
      const status = (err as { statusCode?: number } | null)?.statusCode;
      if (openedAt !== undefined && (err as Error | null)?.name === 'TimeoutError') {
        needLine = true;
        fail(
          new KubeApiError(
            `the watch of ${subject} delivered no event and no bookmark for ${seconds(silenceTimeoutMs)}; treating the connection as stalled and reconnecting`,
            { reason: 'WatchSilent' },
          ),
        );
        later(watchFrom, failures > 1 ? backoff() : 0);
        return;
      }
      if (expired || status === 410) {
        fail(
          new KubeApiError(`the watch of ${subject} expired (410 Gone); relisting`, {
            code: 410,
            reason: 'Expired',
          }),
        );
        later(list, 0);
        return;
      }
      if (streamError || openedAt === undefined) {
        fail(streamError ?? kubeError('watch', scope, err ?? new Error('no response')));
        later(watchFrom, backoff());
        return;
      }
      // A live stream ended: dropped, or closed by the server at timeoutSeconds.
      if (Date.now() - openedAt >= STABLE_STREAM_MS) drops = 0;
      drops++;
      if (drops === 1) {
        later(watchFrom, 0);
        return;
      }
      const why = err ?? new Error('the server ended the watch before sending anything');
      fail(kubeError('watch', scope, why));
      later(watchFrom, backoff());
    };
    try {
      const started = await watch.watch(
        path as string,
        {
          resourceVersion,
          allowWatchBookmarks: true,
          timeoutSeconds,
          labelSelector: options.labelSelector,
          fieldSelector: options.fieldSelector,
        },
        onLine,
        onDone,
      );
      if (stopped) {
        started.abort();
        return;
      }
      if (finished) return;
      controller = started;
      openedAt = Date.now();
      if (!healthy && !needLine) {
        grace = setTimeout(() => {
          if (!finished && !stopped && !expired && !streamError && !healthy) synced();
        }, RECOVERY_GRACE_MS);
        grace.unref();
      }
    } catch (err) {
      // Raised before any request was made (e.g. credentials that cannot be loaded).
      onDone(err);
    }
  }

  void list();

  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      controller?.abort();
    },
    get resourceVersion() {
      return resourceVersion;
    },
  };
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

export function keyOf(object: KubernetesObject): string {
  return `${object.metadata?.namespace ?? ''}/${object.metadata?.name ?? ''}`;
}
