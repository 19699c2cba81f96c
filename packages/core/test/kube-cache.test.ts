import { afterEach, describe, expect, it } from '@jest/globals';
import { startApiServer, type ApiServer, type KubeObject } from '@greenlight/sandbox';
import type { KubernetesObject, V1Deployment } from '@kubernetes/client-node';
import { ObjectCache, type CacheChange } from '../src/kube/index.ts';
import { kubeConfigFor, waitFor } from './kube-test-helpers.ts';

const CANARY = { apiVersion: 'flagger.app/v1beta1', kind: 'Canary' };

let server: ApiServer | undefined;
const caches: ObjectCache[] = [];

afterEach(async () => {
  caches.splice(0).forEach((c) => c.stop());
  await server?.close();
  server = undefined;
});

function canary(
  name: string,
  namespace: string,
  annotations: Record<string, string> = {},
): KubeObject {
  return {
    ...CANARY,
    metadata: { name, namespace, annotations },
    spec: { service: { port: 8080 } },
  };
}

function cacheOf<T extends KubernetesObject>(
  api: ApiServer,
  type: { apiVersion: string; kind: string; namespace?: string },
) {
  const cache = new ObjectCache<T>(kubeConfigFor(api), type, { minBackoffMs: 20 });
  caches.push(cache as unknown as ObjectCache);
  return cache;
}

describe('ObjectCache', () => {
  it('is synced once started and answers reads with no API request', async () => {
    server = await startApiServer();
    server.store.create(CANARY, canary('slack', 'bots'));
    server.store.create(CANARY, canary('web', 'site'));
    const cache = cacheOf(server, CANARY);
    expect(cache.synced).toBe(false);
    await cache.start({ timeoutMs: 5000 });
    expect(cache.synced).toBe(true);

    const requests = server.requestLog.length;
    for (let i = 0; i < 100; i++) {
      expect(cache.get('bots', 'slack')?.metadata?.name).toBe('slack');
      expect(cache.get('bots', 'nothing')).toBeUndefined();
    }
    expect(cache.list().map((c) => c.metadata?.namespace)).toEqual(['bots', 'site']);
    expect(cache.list('site').map((c) => c.metadata?.name)).toEqual(['web']);
    expect(server.requestLog.length).toBe(requests);
  });

  it('follows changes and tells listeners what changed from what', async () => {
    server = await startApiServer();
    server.store.create(CANARY, canary('slack', 'bots'));
    const cache = cacheOf(server, { ...CANARY, namespace: 'bots' });
    await cache.start();
    const changes: CacheChange<KubernetesObject>[] = [];
    cache.onChange((c) => changes.push(c));

    server.store.put(canary('slack', 'bots', { 'greenlight.dev/approved-revision': 'abc' }));
    server.store.create(CANARY, canary('elsewhere', 'other'));
    server.store.delete(CANARY, 'bots', 'slack');
    await waitFor(() => changes.length === 2, 'two changes');

    expect(changes.map((c) => c.type)).toEqual(['MODIFIED', 'DELETED']);
    expect(changes[0]?.previous?.metadata?.annotations).toEqual({});
    expect(changes[0]?.object.metadata?.annotations).toEqual({
      'greenlight.dev/approved-revision': 'abc',
    });
    expect(cache.get('bots', 'slack')).toBeUndefined();
    expect(cache.list()).toEqual([]);
  });

  it('hands out frozen objects, so no consumer can corrupt the cache', async () => {
    server = await startApiServer();
    server.store.create(
      { apiVersion: 'apps/v1', kind: 'Deployment' },
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'slack', namespace: 'bots' },
        spec: { replicas: 1 },
      },
    );
    const cache = cacheOf<V1Deployment>(server, { apiVersion: 'apps/v1', kind: 'Deployment' });
    await cache.start();
    const deployment = cache.get('bots', 'slack');
    expect(deployment).toMatchObject({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      spec: { replicas: 1 },
    });
    expect(() => {
      (deployment!.spec as { replicas: number }).replicas = 5;
    }).toThrow(TypeError);
  });

  it('is unsynced while relisting after 410 Gone and ends with the server state', async () => {
    server = await startApiServer({ historyWindow: 2 });
    server.store.create(CANARY, canary('a', 'bots'));
    server.store.create(CANARY, canary('b', 'bots'));
    const cache = cacheOf(server, CANARY);
    const syncStates: boolean[] = [];
    await cache.start();
    cache.onChange(() => syncStates.push(cache.synced));
    await waitFor(() => server!.requestLog.some((e) => e.watch), 'a live watch');

    server.disconnectWatches();
    server.store.delete(CANARY, 'bots', 'a');
    server.store.create(CANARY, canary('c', 'bots'));
    server.store.put(canary('b', 'bots', { touched: 'yes' }));
    server.store.create(CANARY, canary('d', 'site'));

    await waitFor(() => cache.synced && cache.list().length === 3, 'the relisted cache');
    expect(cache.list().map((c) => `${c.metadata?.namespace}/${c.metadata?.name}`)).toEqual([
      'bots/b',
      'bots/c',
      'site/d',
    ]);
    expect(cache.get('bots', 'b')?.metadata?.annotations).toEqual({ touched: 'yes' });
    // Every change the relist produced was applied while the cache said it was not synced.
    expect(syncStates).toEqual([false, false, false, false]);
  });

  it('refuses to claim a sync it cannot reach, with the reason', async () => {
    const gone = await startApiServer();
    const kc = kubeConfigFor(gone);
    await gone.close();
    const cache = new ObjectCache(kc, CANARY, { minBackoffMs: 20 });
    caches.push(cache);
    await expect(cache.start({ timeoutMs: 1000 })).rejects.toThrow(
      /^the Canary cache did not sync within 1000 ms: could not list Canary: cannot reach the Kubernetes API/,
    );
    expect(cache.synced).toBe(false);
  });
});
