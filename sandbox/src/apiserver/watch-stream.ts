// Watch: newline-delimited JSON events over one long response, as the apiserver streams
// them. From a resourceVersion it replays what happened after it; from one that has left
// the history window it sends a single ERROR event carrying a 410 Expired Status and ends,
// exactly as a real apiserver answers a compacted revision. BOOKMARK events (when the
// client allows them) carry the current resourceVersion so a quiet watch can resume late.
import type { ServerResponse } from 'node:http';
import type { KubeObject } from './meta.ts';
import type { ResourceInfo } from './resources.ts';
import { parseFieldSelector, parseLabelSelector } from './selectors.ts';
import { badRequest, expired } from './api-errors.ts';
import { present, type ObjectStore, type StoreEvent } from './store.ts';

export interface WatchRequest {
  resource: ResourceInfo;
  apiVersion: string;
  namespace?: string;
  query: URLSearchParams;
}

export interface WatchSettings {
  bookmarkIntervalMs: number;
}

type WireEvent = { type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR'; object: unknown };

export function isWatch(query: URLSearchParams): boolean {
  const watch = query.get('watch');
  return watch === 'true' || watch === '1';
}

/** Streams events until the client goes, the timeout passes or the server closes. */
export function serveWatch(
  store: ObjectStore,
  res: ServerResponse,
  request: WatchRequest,
  settings: WatchSettings,
): void {
  const { resource, apiVersion, namespace, query } = request;
  const byLabel = parseLabelSelector(query.get('labelSelector'));
  const byField = parseFieldSelector(query.get('fieldSelector'));
  const matches = (obj: KubeObject) =>
    (namespace === undefined || obj.metadata.namespace === namespace) &&
    byLabel(obj) &&
    byField(obj);
  const from = parseResourceVersion(query.get('resourceVersion'));

  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache' });
  res.flushHeaders();
  const send = (event: WireEvent) => {
    if (!res.writableEnded && !res.destroyed) res.write(JSON.stringify(event) + '\n');
  };

  let replay: StoreEvent[] | undefined;
  if (from === undefined) {
    // No resourceVersion (or "0"): the current state as synthetic ADDED events, then changes.
    for (const object of store.list({ apiVersion, kind: resource.kind }, {})) {
      if (matches(object)) send({ type: 'ADDED', object });
    }
    replay = [];
  } else {
    replay = store.eventsSince(from);
    if (!replay) {
      send({
        type: 'ERROR',
        object: expired(String(from), store.oldestResourceVersion + 1).status,
      });
      res.end();
      return;
    }
  }

  const deliver = (event: StoreEvent) => {
    if (event.resource !== resource) return;
    const wire = translate(event, matches);
    if (wire) send({ type: wire, object: present(event.object, apiVersion) });
  };
  replay.forEach(deliver);
  // Replay and subscribe in one synchronous step: no change can fall between them.
  const unsubscribe = store.subscribe(deliver);

  const timers: NodeJS.Timeout[] = [];
  if (query.get('allowWatchBookmarks') === 'true') {
    const bookmark = () =>
      send({
        type: 'BOOKMARK',
        object: {
          kind: resource.kind,
          apiVersion,
          metadata: { resourceVersion: store.resourceVersion },
        },
      });
    timers.push(setInterval(bookmark, settings.bookmarkIntervalMs));
  }
  const timeoutSeconds = Number(query.get('timeoutSeconds'));
  if (timeoutSeconds > 0) timers.push(setTimeout(() => res.end(), timeoutSeconds * 1000));

  res.on('close', () => {
    unsubscribe();
    timers.forEach((t) => clearTimeout(t));
  });
}

function parseResourceVersion(raw: string | null): number | undefined {
  if (raw === null || raw === '' || raw === '0') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw badRequest(`invalid resource version: ${raw}`);
  return n;
}

/**
 * With a selector, an object that starts matching is ADDED to the watcher and one that
 * stops matching is DELETED from it (the apiserver's watch filter does the same).
 */
function translate(
  event: StoreEvent,
  matches: (obj: KubeObject) => boolean,
): 'ADDED' | 'MODIFIED' | 'DELETED' | undefined {
  const now = matches(event.object);
  if (event.type !== 'MODIFIED') return now ? event.type : undefined;
  const before = event.previous ? matches(event.previous) : false;
  if (now && before) return 'MODIFIED';
  if (now) return 'ADDED';
  if (before) return 'DELETED';
  return undefined;
}
