import { afterEach, describe, expect, it } from '@jest/globals';
import { startApiServer, type ApiServer, type KubeObject } from '../src/index.ts';

const CANARY = { apiVersion: 'flagger.app/v1beta1', kind: 'Canary' };
const PATH = '/apis/flagger.app/v1beta1/namespaces/bots/canaries';

interface WireEvent {
  type: string;
  object: {
    kind?: string;
    code?: number;
    reason?: string;
    message?: string;
    metadata: { name?: string; resourceVersion?: string; labels?: Record<string, string> };
  };
}

let server: ApiServer | undefined;
const streams: AbortController[] = [];

afterEach(async () => {
  streams.splice(0).forEach((c) => c.abort());
  await server?.close();
  server = undefined;
});

function canary(name: string, labels: Record<string, string> = {}, port = 8080): KubeObject {
  return { ...CANARY, metadata: { name, namespace: 'bots', labels }, spec: { service: { port } } };
}

/** Opens a watch and reads its newline-delimited events one by one. */
async function watch(api: ApiServer, query: string) {
  const controller = new AbortController();
  streams.push(controller);
  const res = await fetch(`${api.url}${PATH}?watch=true&${query}`, { signal: controller.signal });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let ended = false;
  const next = async (timeoutMs = 2000): Promise<WireEvent | undefined> => {
    const deadline = Date.now() + timeoutMs;
    while (!buffer.includes('\n')) {
      if (ended || Date.now() > deadline) return undefined;
      const chunk = await Promise.race([
        reader.read(),
        new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), deadline - Date.now())),
      ]);
      if (chunk === 'timeout') return undefined;
      if (chunk.done) ended = true;
      else buffer += decoder.decode(chunk.value, { stream: true });
    }
    const at = buffer.indexOf('\n');
    const line = buffer.slice(0, at);
    buffer = buffer.slice(at + 1);
    return JSON.parse(line) as WireEvent;
  };
  const brief = (e: WireEvent | undefined) =>
    e && `${e.type} ${e.object.metadata.name ?? ''}`.trim();
  return { status: res.status, next, brief, isEnded: () => ended };
}

describe('watching the sandbox API', () => {
  it('sends the current objects as ADDED when no resourceVersion is given, then changes', async () => {
    server = await startApiServer();
    server.store.create(CANARY, canary('slack'));
    const w = await watch(server, '');
    expect(w.status).toBe(200);
    expect(w.brief(await w.next())).toBe('ADDED slack');
    server.store.put(canary('slack', {}, 9090));
    const modified = await w.next();
    expect(w.brief(modified)).toBe('MODIFIED slack');
    expect(modified?.object.metadata.resourceVersion).toBe(server.store.resourceVersion);
  });

  it('replays every change after the resourceVersion it is given', async () => {
    server = await startApiServer();
    server.store.create(CANARY, canary('a'));
    const from = server.store.resourceVersion;
    server.store.create(CANARY, canary('b'));
    server.store.put(canary('a', { x: 'y' }));
    server.store.delete(CANARY, 'bots', 'b');
    const w = await watch(server, `resourceVersion=${from}`);
    expect([w.brief(await w.next()), w.brief(await w.next()), w.brief(await w.next())]).toEqual([
      'ADDED b',
      'MODIFIED a',
      'DELETED b',
    ]);
    expect(await w.next(100)).toBeUndefined();
  });

  it('answers a resourceVersion older than its history with one ERROR event: 410 Expired', async () => {
    server = await startApiServer({ historyWindow: 2 });
    server.store.create(CANARY, canary('a'));
    const old = server.store.resourceVersion;
    for (const name of ['b', 'c', 'd']) server.store.create(CANARY, canary(name));
    const w = await watch(server, `resourceVersion=${old}`);
    expect(w.status).toBe(200);
    const error = await w.next();
    expect(error).toEqual({
      type: 'ERROR',
      object: expect.objectContaining({ kind: 'Status', code: 410, reason: 'Expired' }),
    });
    expect(error?.object.message).toMatch(/^too old resource version: \d+ \(\d+\)$/);
    expect(await w.next(200)).toBeUndefined();
    expect(w.isEnded()).toBe(true);
  });

  it('sends BOOKMARKs with the current resourceVersion when they are allowed', async () => {
    server = await startApiServer({ bookmarkIntervalMs: 20 });
    server.store.create(
      { apiVersion: 'v1', kind: 'ConfigMap' },
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'unrelated', namespace: 'bots' },
      },
    );
    const w = await watch(
      server,
      `resourceVersion=${server.store.resourceVersion}&allowWatchBookmarks=true`,
    );
    const bookmark = await w.next();
    expect(bookmark).toEqual({
      type: 'BOOKMARK',
      object: {
        kind: 'Canary',
        apiVersion: 'flagger.app/v1beta1',
        metadata: { resourceVersion: server.store.resourceVersion },
      },
    });
  });

  it('turns label changes into ADDED and DELETED for a watch with a label selector', async () => {
    server = await startApiServer();
    const w = await watch(server, `labelSelector=${encodeURIComponent('tier=front')}`);
    server.store.create(CANARY, canary('a', { tier: 'back' }));
    server.store.put(canary('a', { tier: 'front' }));
    server.store.put(canary('a', { tier: 'front' }, 9090));
    server.store.put(canary('a', { tier: 'back' }));
    expect([w.brief(await w.next()), w.brief(await w.next()), w.brief(await w.next())]).toEqual([
      'ADDED a',
      'MODIFIED a',
      'DELETED a',
    ]);
  });

  it('ends the stream after timeoutSeconds', async () => {
    server = await startApiServer();
    const w = await watch(server, 'timeoutSeconds=1');
    const started = Date.now();
    expect(await w.next(3000)).toBeUndefined();
    expect(w.isEnded()).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('refuses field selectors it cannot honour instead of ignoring them', async () => {
    server = await startApiServer();
    const res = await fetch(`${server.url}${PATH}?watch=true&fieldSelector=status.phase%3DRunning`);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ kind: 'Status', reason: 'BadRequest' });
  });
});
