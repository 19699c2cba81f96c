// The HTTP server: authentication, routing and the request log around the store.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFile } from 'node:fs/promises';
import * as discovery from './discovery.ts';
import { handleResource } from './handlers.ts';
import { mediaType, sendError, sendJson } from './http-io.ts';
import { renderKubeconfig } from './kubeconfig.ts';
import { parseRequestPath } from './request-path.ts';
import { methodNotAllowed, routeNotFound, unauthorized } from './api-errors.ts';
import { ObjectStore } from './store.ts';
import { isWatch, serveWatch } from './watch-stream.ts';

export interface ApiServerOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Defaults to 127.0.0.1. */
  host?: string;
  /** How many changes watches can replay from; older resourceVersions get 410 Gone. */
  historyWindow?: number;
  /** How often watches that allow bookmarks get one. Default 5000 ms. */
  bookmarkIntervalMs?: number;
  /** When set, every request but /healthz must carry `Authorization: Bearer <token>`. */
  token?: string;
  /**
   * More bearer tokens, each with the user a SelfSubjectReview names for it (as a real API
   * server's token authenticator would). `token`'s user is `sandbox-admin`; a request
   * without a token is `system:anonymous`, as with anonymous auth enabled.
   */
  users?: Record<string, SandboxUser>;
}

export interface SandboxUser {
  username: string;
  groups?: string[];
}

export interface RequestLogEntry {
  method: string;
  path: string;
  query: Record<string, string>;
  /** The media type of the request body, e.g. `application/apply-patch+yaml`. */
  contentType?: string;
  /** The response status; 0 while a request is still being answered. */
  status: number;
  watch: boolean;
}

export interface ApiServer {
  url: string;
  store: ObjectStore;
  /** Every request, in arrival order. */
  requestLog: RequestLogEntry[];
  /** The requests that could change state (POST, PUT, PATCH, DELETE). */
  writes(): RequestLogEntry[];
  /** End every open watch stream abruptly, as a dropped connection would. Returns how many. */
  disconnectWatches(): number;
  /** How many watch streams are open now. */
  openWatches(): number;
  kubeconfig(): string;
  writeKubeconfig(file: string): Promise<void>;
  close(): Promise<void>;
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export async function startApiServer(options: ApiServerOptions = {}): Promise<ApiServer> {
  const store = new ObjectStore({ historyWindow: options.historyWindow });
  const requestLog: RequestLogEntry[] = [];
  const watches = new Set<ServerResponse>();
  const bookmarkIntervalMs = options.bookmarkIntervalMs ?? 5000;
  const host = options.host ?? '127.0.0.1';

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const entry: RequestLogEntry = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      ...(req.headers['content-type'] ? { contentType: mediaType(req) } : {}),
      status: 0,
      watch: isWatch(url.searchParams),
    };
    requestLog.push(entry);
    const originalWriteHead = res.writeHead.bind(res);
    res.writeHead = ((code: number, ...rest: never[]) => {
      entry.status = code;
      return originalWriteHead(code, ...rest);
    }) as typeof res.writeHead;
    route(req, res, url).catch((err: unknown) => sendError(res, err));
  });

  function authenticate(header: string | undefined): Required<SandboxUser> | undefined {
    const token = header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : undefined;
    const extra = token !== undefined ? options.users?.[token] : undefined;
    if (extra)
      return {
        username: extra.username,
        groups: [...(extra.groups ?? []), 'system:authenticated'],
      };
    if (options.token && token === options.token) {
      return { username: 'sandbox-admin', groups: ['system:masters', 'system:authenticated'] };
    }
    if (options.token) return undefined;
    return { username: 'system:anonymous', groups: ['system:unauthenticated'] };
  }

  async function route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const addressed = parseRequestPath(url.pathname);
    if (addressed?.type === 'health') {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('ok');
      return;
    }
    const user = authenticate(req.headers.authorization);
    if (!user) throw unauthorized();
    if (addressed?.type === 'selfsubjectreview') {
      if (req.method !== 'POST') throw methodNotAllowed(req.method ?? '');
      req.resume();
      return sendJson(res, 201, selfSubjectReview(user));
    }
    if (!addressed) throw routeNotFound();
    if (addressed.type === 'discovery') {
      if (req.method !== 'GET') throw methodNotAllowed(req.method ?? '');
      const doc = discoveryDocument(addressed.document, addressed.group, addressed.version, req);
      if (!doc) throw routeNotFound();
      return sendJson(res, 200, doc);
    }
    const request = { ...addressed, query: url.searchParams };
    if (req.method === 'GET' && addressed.name === undefined && isWatch(url.searchParams)) {
      watches.add(res);
      res.on('close', () => watches.delete(res));
      serveWatch(store, res, request, { bookmarkIntervalMs });
      return;
    }
    await handleResource(store, req, res, request);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  return {
    url,
    store,
    requestLog,
    writes: () => requestLog.filter((e) => WRITE_METHODS.has(e.method)),
    disconnectWatches() {
      const open = [...watches];
      for (const res of open) res.destroy();
      return open.length;
    },
    openWatches: () => watches.size,
    kubeconfig: () => renderKubeconfig(url, options.token),
    writeKubeconfig: (file) =>
      writeFile(file, renderKubeconfig(url, options.token), { mode: 0o600 }),
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const res of watches) res.end();
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** authentication.k8s.io/v1 SelfSubjectReview: who the API server takes the caller for. */
function selfSubjectReview(user: Required<SandboxUser>) {
  return {
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'SelfSubjectReview',
    metadata: { creationTimestamp: new Date().toISOString() },
    status: { userInfo: { username: user.username, groups: user.groups } },
  };
}

function discoveryDocument(
  document: 'core' | 'groups' | 'group' | 'resources' | 'version',
  group: string,
  version: string,
  req: IncomingMessage,
): object | undefined {
  switch (document) {
    case 'core':
      return discovery.coreVersions(req.headers.host ?? '');
    case 'groups':
      return discovery.groupList();
    case 'group':
      return discovery.group(group);
    case 'resources':
      return discovery.resourceList(group, version);
    case 'version':
      return discovery.versionInfo();
  }
}
