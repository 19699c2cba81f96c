// A proxy between Greenlight and a Kubernetes API that injects the faults a real control
// plane and the network between produce, on a seeded schedule, and logs what it did:
// - 500 Internal Server Error and 429 Too Many Requests with Retry-After, on any request;
// - slow responses (the request is held, then forwarded);
// - connection resets in the middle of a watch stream;
// - 410 Gone on watch resumption: a watch from a resourceVersion gets the single ERROR event
//   with a 410 Expired Status that a real apiserver sends for a compacted revision;
// - a lost response (scripted only): the request reaches the API and is carried out, then the
//   connection is cut before the answer, as when a network drops between apiserver and client.
// `calm()` stops injecting, for the end of a test that checks everything converges.
// The client talks plain HTTP to the proxy; the upstream may be HTTPS (the e2e tier's real
// kube-apiserver): the proxy then verifies it with `upstreamCa` and passes the client's
// Authorization header on, so each client keeps its own identity.
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import { request as requestTls } from 'node:https';
import type { AddressInfo } from 'node:net';
import { seededRandom } from './support/random.ts';

export type FaultKind = ScheduledFault | 'lost-response';
/** The kinds the seeded schedule draws from; the rest are injected by `script` only. */
export type ScheduledFault = 'error-500' | 'throttle-429' | 'slow' | 'reset-mid-watch' | 'gone-410';

export interface FaultRates {
  /** Probability per request (watches included) of a 500. */
  error500?: number;
  /** Probability per non-watch request of a 429 with Retry-After. */
  throttle429?: number;
  /** Probability per non-watch request of being held 50–400 ms. */
  slow?: number;
  /** Probability per watch of the connection being reset 20–600 ms in. */
  resetMidWatch?: number;
  /** Probability per resumed watch (one with a resourceVersion) of 410 Gone. */
  gone410?: number;
}

export interface FaultLogEntry {
  n: number;
  method: string;
  path: string;
  watch: boolean;
  fault?: FaultKind;
}

export interface FaultProxy {
  url: string;
  log: FaultLogEntry[];
  /** Faults of the seeded schedule injected so far, by kind (scripted-only kinds when any). */
  counts(): Record<ScheduledFault, number> & { 'lost-response'?: number };
  /** Stop injecting faults; requests pass through from now on. */
  calm(): void;
  /**
   * A scripted fault for the requests `rule` picks, over the seeded schedule and calm alike
   * (for tests that need one fault at one moment); undefined removes it.
   */
  script(rule: ((entry: FaultLogEntry) => FaultKind | undefined) | undefined): void;
  close(): Promise<void>;
}

export const DEFAULT_RATES: Required<FaultRates> = {
  error500: 0.06,
  throttle429: 0.04,
  slow: 0.08,
  resetMidWatch: 0.2,
  gone410: 0.2,
};

export async function startFaultProxy(
  target: string,
  seed: number,
  rates: FaultRates = DEFAULT_RATES,
  upstreamCa?: string | Buffer,
): Promise<FaultProxy> {
  const upstream = new URL(target);
  const tls = upstream.protocol === 'https:';
  const random = seededRandom(seed);
  const log: FaultLogEntry[] = [];
  const open = new Set<ServerResponse>();
  let calm = false;
  let rule: ((entry: FaultLogEntry) => FaultKind | undefined) | undefined;
  const r = { ...DEFAULT_RATES, ...rates };

  const status = (
    res: ServerResponse,
    code: number,
    reason: string,
    message: string,
    headers = {},
  ) => {
    res.writeHead(code, { 'content-type': 'application/json', ...headers });
    res.end(
      JSON.stringify({
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Failure',
        message,
        reason,
        code,
      }),
    );
  };

  const forward = (
    req: IncomingMessage,
    res: ServerResponse,
    onResponse?: () => void,
    lose = false,
  ) => {
    const proxied = (tls ? requestTls : request)(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host },
        ...(tls ? { ca: upstreamCa } : {}),
      },
      (answer) => {
        if (lose) {
          // The API has done it; the client never hears so.
          answer.resume();
          answer.on('end', () => res.socket?.destroy());
          return;
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        res.flushHeaders();
        answer.pipe(res);
        // An upstream connection cut short is cut short for the client too.
        answer.on('error', () => res.destroy());
        answer.on('close', () => {
          if (!answer.complete) res.destroy();
        });
        onResponse?.();
      },
    );
    proxied.on('error', () => res.destroy());
    res.on('close', () => proxied.destroy());
    req.pipe(proxied);
  };

  const server = createServer((req, res) => {
    open.add(res);
    res.on('close', () => open.delete(res));
    const url = new URL(req.url ?? '/', 'http://proxy');
    const watch = ['true', '1'].includes(url.searchParams.get('watch') ?? '');
    const resumed = watch && !['', '0'].includes(url.searchParams.get('resourceVersion') ?? '');
    const entry: FaultLogEntry = {
      n: log.length,
      method: req.method ?? 'GET',
      path: url.pathname,
      watch,
    };
    log.push(entry);
    const roll = random.next();
    const fault = rule?.(entry) ?? (calm ? undefined : chooseFault(roll, watch, resumed, r));
    if (fault) entry.fault = fault;

    switch (fault) {
      case 'error-500':
        req.resume();
        return status(
          res,
          500,
          'InternalError',
          'Internal error occurred: injected by the fault proxy',
        );
      case 'throttle-429':
        req.resume();
        return status(
          res,
          429,
          'TooManyRequests',
          'the server has received too many requests and has asked us to try again later',
          { 'retry-after': '1' },
        );
      case 'gone-410':
        // What kube-apiserver answers a watch from a compacted resourceVersion.
        req.resume();
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            type: 'ERROR',
            object: {
              kind: 'Status',
              apiVersion: 'v1',
              status: 'Failure',
              message: `too old resource version: ${url.searchParams.get('resourceVersion')}`,
              reason: 'Expired',
              code: 410,
            },
          }) + '\n',
        );
        return;
      case 'slow': {
        const timer = setTimeout(() => forward(req, res), random.int(50, 400));
        res.on('close', () => clearTimeout(timer));
        return;
      }
      case 'reset-mid-watch': {
        const after = random.int(20, 600);
        return forward(req, res, () => {
          const timer = setTimeout(() => res.socket?.destroy(), after);
          res.on('close', () => clearTimeout(timer));
        });
      }
      case 'lost-response':
        return forward(req, res, undefined, true);
      default:
        return forward(req, res);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    log,
    counts() {
      const counts = {
        'error-500': 0,
        'throttle-429': 0,
        slow: 0,
        'reset-mid-watch': 0,
        'gone-410': 0,
      } as Record<ScheduledFault, number> & { 'lost-response'?: number };
      for (const entry of log) {
        if (entry.fault) counts[entry.fault] = (counts[entry.fault] ?? 0) + 1;
      }
      return counts;
    },
    calm: () => void (calm = true),
    script: (next) => void (rule = next),
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of open) res.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function chooseFault(
  roll: number,
  watch: boolean,
  resumed: boolean,
  r: Required<FaultRates>,
): FaultKind | undefined {
  const table: [FaultKind, number][] = watch
    ? [
        ['gone-410', resumed ? r.gone410 : 0],
        ['error-500', r.error500],
        ['reset-mid-watch', r.resetMidWatch],
      ]
    : [
        ['error-500', r.error500],
        ['throttle-429', r.throttle429],
        ['slow', r.slow],
      ];
  let edge = 0;
  for (const [kind, p] of table) {
    edge += p;
    if (roll < edge) return kind;
  }
  return undefined;
}
