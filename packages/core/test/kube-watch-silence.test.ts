import { Socket } from 'node:net';
import { afterEach, describe, expect, it } from '@jest/globals';
import { startApiServer, type ApiServer, type KubeObject } from '@greenlight/sandbox';
import { KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import { ObjectCache, watchObjects, type WatchHandle } from '../src/kube/index.ts';
import { waitFor } from './kube-test-helpers.ts';
import { startStallingProxy, type StallingProxy } from '@greenlight/test-kit/faults/stalling-proxy';

const CANARY = { apiVersion: 'flagger.app/v1beta1', kind: 'Canary' };

let server: ApiServer | undefined;
let proxy: StallingProxy | undefined;
let handle: WatchHandle | undefined;
let cache: ObjectCache | undefined;

afterEach(async () => {
  handle?.stop();
  cache?.stop();
  await proxy?.close();
  await server?.close();
  handle = cache = proxy = server = undefined;
});

function canary(name: string, port = 8080): KubeObject {
  return { ...CANARY, metadata: { name, namespace: 'bots' }, spec: { service: { port } } };
}

/** The API stand-in (bookmarks every `bookmarkMs`) behind a proxy whose watches can stall. */
async function stallable(bookmarkMs = 100): Promise<{ api: ApiServer; kc: KubeConfig }> {
  const api = await startApiServer({ bookmarkIntervalMs: bookmarkMs });
  server = api;
  proxy = await startStallingProxy(api.url);
  const kc = new KubeConfig();
  kc.loadFromString(api.kubeconfig().replace(api.url, proxy.url));
  return { api, kc };
}

describe('a watch that stops delivering without closing', () => {
  it('is reported within the silence bound, the view unsynced, and reconnected', async () => {
    const { api, kc } = await stallable();
    api.store.create(CANARY, canary('slack'));
    const errors: string[] = [];
    const events: string[] = [];
    let healthy = false;
    handle = watchObjects<KubernetesObject>(
      kc,
      { ...CANARY, namespace: 'bots' },
      {
        onEvent: (type, object) => events.push(`${type} ${object.metadata?.name}`),
        onSynced: () => (healthy = true),
        onError: (err) => {
          healthy = false;
          errors.push(err.message);
        },
      },
      { silenceTimeoutMs: 600, minBackoffMs: 20 },
    );
    await waitFor(() => healthy && proxy!.watchRequests() === 1, 'the first sync and watch');

    proxy!.stall();
    const stalledAt = Date.now();
    api.store.create(CANARY, canary('web'));
    await waitFor(() => !healthy, 'the stalled watch to be reported', 3000);
    expect(Date.now() - stalledAt).toBeLessThan(1500);
    expect(errors[0]).toBe(
      'the watch of Canary bots delivered no event and no bookmark for 600 ms; treating the connection as stalled and reconnecting',
    );
    expect(events).toEqual(['ADDED slack']);
    // The reconnect answers its headers on the stalled path too: that must not count as live.
    await waitFor(() => proxy!.watchRequests() >= 2, 'a reconnect');
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(healthy).toBe(false);

    proxy!.heal();
    await waitFor(() => healthy, 'the watch to be live again', 5000);
    await waitFor(() => events.length === 2, 'the change made while stalled');
    expect(events).toEqual(['ADDED slack', 'ADDED web']);
  });

  it('an ObjectCache over it is unsynced within the bound, says why, and recovers', async () => {
    const { api, kc } = await stallable();
    api.store.create(CANARY, canary('slack'));
    cache = new ObjectCache(kc, { ...CANARY, namespace: 'bots' }, { silenceTimeoutMs: 500 });
    await cache.start();
    proxy!.stall();
    api.store.put(canary('slack', 9090));
    await waitFor(() => !cache!.synced, 'the cache to be unsynced', 2000);
    expect(cache.lastError?.message).toContain('delivered no event and no bookmark for 500 ms');
    const stale = cache.get('bots', 'slack') as KubeObject & {
      spec: { service: { port: number } };
    };
    expect(stale.spec.service.port).toBe(8080);

    proxy!.heal();
    await waitFor(() => cache!.synced, 'the cache to be synced again', 5000);
    const fresh = cache.get('bots', 'slack') as KubeObject & {
      spec: { service: { port: number } };
    };
    expect(fresh.spec.service.port).toBe(9090);
    expect(cache.lastError).toBeUndefined();
  });

  it('a quiet watch the server keeps alive with bookmarks stays synced', async () => {
    const { api, kc } = await stallable(100);
    api.store.create(CANARY, canary('slack'));
    const errors: string[] = [];
    handle = watchObjects<KubernetesObject>(
      kc,
      { ...CANARY, namespace: 'bots' },
      { onEvent: () => {}, onError: (err) => errors.push(err.message) },
      { silenceTimeoutMs: 400 },
    );
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(errors).toEqual([]);
    expect(proxy!.watchRequests()).toBe(1);
  });
});

describe('watch connections', () => {
  it('have TCP keepalive on, probing after 30 s idle as client-go does', async () => {
    // client-node sets it (createDispatcherOptions); this pins it across upgrades.
    const calls: [boolean | undefined, number | undefined][] = [];
    const original = Socket.prototype.setKeepAlive;
    Socket.prototype.setKeepAlive = function (this: Socket, enable?: boolean, delay?: number) {
      calls.push([enable, delay]);
      return original.call(this, enable, delay);
    } as typeof original;
    try {
      const { api, kc } = await stallable();
      api.store.create(CANARY, canary('slack'));
      let synced = false;
      handle = watchObjects<KubernetesObject>(
        kc,
        { ...CANARY, namespace: 'bots' },
        { onEvent: () => {}, onSynced: () => (synced = true) },
      );
      await waitFor(() => synced && proxy!.watchRequests() === 1, 'the watch');
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      Socket.prototype.setKeepAlive = original;
    }
    expect(calls).toContainEqual([true, 30_000]);
  });
});
