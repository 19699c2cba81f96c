import { afterEach, describe, expect, it } from '@jest/globals';
import { startApiServer, type ApiServer, type KubeObject } from '@greenlight/sandbox';
import type { KubernetesObject } from '@kubernetes/client-node';
import { watchObjects, type WatchEventType, type WatchHandle } from '../src/kube/index.ts';
import { kubeConfigFor, waitFor } from './kube-test-helpers.ts';

const CANARY = { apiVersion: 'flagger.app/v1beta1', kind: 'Canary' };
const CANARIES_PATH = '/apis/flagger.app/v1beta1/namespaces/bots/canaries';

let server: ApiServer | undefined;
let handle: WatchHandle | undefined;

afterEach(async () => {
  handle?.stop();
  await server?.close();
  handle = undefined;
  server = undefined;
});

function canary(name: string, port = 8080): KubeObject {
  return { ...CANARY, metadata: { name, namespace: 'bots' }, spec: { service: { port } } };
}

function deployment(name: string, replicas: number): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'bots' },
    spec: { replicas },
  };
}

/** Starts a watch of Canaries in `bots` and records what it delivers. */
function record(api: ApiServer) {
  const events: string[] = [];
  const errors: string[] = [];
  let syncs = 0;
  handle = watchObjects<KubernetesObject>(
    kubeConfigFor(api),
    { ...CANARY, namespace: 'bots' },
    {
      onEvent: (type: WatchEventType, obj) => {
        events.push(
          `${type} ${obj.metadata?.name} ${(obj as { spec?: { service?: { port?: number } } }).spec?.service?.port}`,
        );
      },
      onSynced: () => syncs++,
      onError: (err) => errors.push(err.message),
    },
    { minBackoffMs: 20 },
  );
  return { events, errors, syncs: () => syncs, handle };
}

const lists = (api: ApiServer) =>
  api.requestLog.filter((e) => e.path === CANARIES_PATH && !e.watch);
const watches = (api: ApiServer) =>
  api.requestLog.filter((e) => e.path === CANARIES_PATH && e.watch);

describe('watchObjects', () => {
  it('lists first, then delivers ADDED, MODIFIED and DELETED from the list resourceVersion', async () => {
    server = await startApiServer();
    server.store.create(CANARY, canary('slack'));
    const listedAt = server.store.resourceVersion;
    const { events, syncs } = record(server);
    await waitFor(() => syncs() === 1, 'the first sync');
    expect(events).toEqual(['ADDED slack 8080']);
    await waitFor(() => watches(server!).length === 1, 'the watch request');
    expect(watches(server)[0]?.query).toMatchObject({
      resourceVersion: listedAt,
      allowWatchBookmarks: 'true',
    });

    server.store.create(CANARY, canary('web'));
    server.store.put(canary('slack', 9090));
    server.store.delete(CANARY, 'bots', 'web');
    await waitFor(() => events.length === 4, 'three watch events');
    expect(events).toEqual([
      'ADDED slack 8080',
      'ADDED web 8080',
      'MODIFIED slack 9090',
      'DELETED web 8080',
    ]);
  });

  it('resumes a cut watch from the last resourceVersion without losing or repeating events', async () => {
    server = await startApiServer();
    const { events, errors } = record(server);
    await waitFor(() => watches(server!).length === 1, 'the watch request');
    server.store.create(CANARY, canary('slack'));
    await waitFor(() => events.length === 1, 'the first event');
    const seenAt = server.store.resourceVersion;

    expect(server.disconnectWatches()).toBe(1);
    // While the watch is down (these writes are synchronous, before any reconnect):
    server.store.put(canary('slack', 9090));
    server.store.create(CANARY, canary('web'));
    await waitFor(() => events.length === 3, 'the events written while disconnected');
    // A sentinel: had anything been delivered twice it would have arrived before this.
    server.store.create(CANARY, canary('sentinel'));
    await waitFor(() => events.length >= 4, 'the sentinel');

    expect(events).toEqual([
      'ADDED slack 8080',
      'MODIFIED slack 9090',
      'ADDED web 8080',
      'ADDED sentinel 8080',
    ]);
    expect(lists(server)).toHaveLength(1);
    expect(watches(server).map((w) => w.query.resourceVersion)).toEqual([
      expect.any(String),
      seenAt,
    ]);
    // A drop resumed at once is not a failure: the view was never incomplete.
    expect(errors).toEqual([]);
  });

  it('relists after 410 Gone and emits the difference so the consumer ends right', async () => {
    server = await startApiServer({ historyWindow: 3 });
    for (const name of ['a', 'b', 'c']) server.store.create(CANARY, canary(name));
    const { events, errors, syncs } = record(server);
    await waitFor(() => syncs() === 1 && watches(server!).length === 1, 'a live watch');
    expect(events).toEqual(['ADDED a 8080', 'ADDED b 8080', 'ADDED c 8080']);

    server.disconnectWatches();
    server.store.delete(CANARY, 'bots', 'a');
    server.store.put(canary('b', 9090));
    server.store.create(CANARY, canary('d'));
    // Push the changes above out of the 3-event history window.
    for (let i = 1; i <= 3; i++) server.store.put(deployment('other', i));

    await waitFor(() => syncs() === 2 && events.length === 6, 'the relist');
    expect(events.slice(3).sort()).toEqual(['ADDED d 8080', 'DELETED a 8080', 'MODIFIED b 9090']);
    expect(errors.some((e) => e.includes('410 Gone'))).toBe(true);
    expect(handle?.resourceVersion).toBe(server.store.resourceVersion);
  });

  it('advances its resourceVersion on bookmarks, so a quiet watch resumes without a relist', async () => {
    server = await startApiServer({ historyWindow: 3, bookmarkIntervalMs: 30 });
    server.store.create(CANARY, canary('slack'));
    const { events, syncs } = record(server);
    await waitFor(() => syncs() === 1 && watches(server!).length === 1, 'a live watch');
    // Changes to another kind move the global resourceVersion and fill the history window.
    for (let i = 1; i <= 5; i++) server.store.put(deployment('other', i));
    const latest = server.store.resourceVersion;
    await waitFor(
      () => handle?.resourceVersion === latest,
      'a bookmark at the latest resourceVersion',
    );

    server.disconnectWatches();
    await waitFor(() => watches(server!).length === 2, 'the resumed watch');
    expect(watches(server)[1]?.query.resourceVersion).toBe(latest);
    server.store.put(canary('slack', 9090));
    await waitFor(() => events.length === 2, 'the next change');
    expect(events).toEqual(['ADDED slack 8080', 'MODIFIED slack 9090']);
    expect(lists(server)).toHaveLength(1);
  });

  it('reports an unreachable API and is synced again, resuming, once it is back', async () => {
    server = await startApiServer();
    const port = Number(new URL(server.url).port);
    server.store.create(CANARY, canary('slack'));
    const { errors, syncs } = record(server);
    await waitFor(() => syncs() === 1 && watches(server!).length === 1, 'a live watch');
    const resumeFrom = handle?.resourceVersion;

    await server.close();
    await waitFor(() => errors.length >= 2, 'failed reconnects');
    expect(errors.at(-1)).toMatch(/^could not watch Canary bots: cannot reach the Kubernetes API/);

    server = await startApiServer({ port });
    await waitFor(() => syncs() === 2, 'the watch to be back');
    expect(watches(server)[0]?.query.resourceVersion).toBe(resumeFrom);
    expect(lists(server)).toHaveLength(0);
  });

  it('stops watching when stopped', async () => {
    server = await startApiServer();
    const { syncs } = record(server);
    await waitFor(() => syncs() === 1 && watches(server!).length === 1, 'a live watch');
    expect(server.openWatches()).toBe(1);
    handle?.stop();
    await waitFor(() => server!.openWatches() === 0, 'the watch to close');
    await new Promise((r) => setTimeout(r, 50));
    expect(watches(server)).toHaveLength(1);
  });
});
