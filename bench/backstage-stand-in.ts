// The cluster and the Prometheus of the Backstage backend benchmark, in a worker thread:
// the sandbox's Kubernetes API stand-in with CHATBOTS chatbots (Canary, Deployments,
// Services, TrafficSplit), each Deployment run as the real example chatbot by the sandbox's
// mesh, whose simulated users' replies are counted behind the sandbox's Prometheus API. They are
// other processes in production, so their CPU stays off the backend's event loop. Every
// Prometheus request passes a proxy that logs when it began and ended, and that can
// replay answers (StandInMode).
import { createServer } from 'node:http';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { PrometheusMetrics } from '@greenlight/core';
import { NS, startStandIn } from '@greenlight/test-kit/cluster/backstage';

export interface StandInReady {
  kubeconfig: string;
  /** The counting proxy in front of the metrics stand-in. */
  prometheusUrl: string;
}

/** One Prometheus request: path, began and ended (epoch ms, comparable across threads; NaN while it runs). */
export type QueryLogEntry = [path: string, began: number, ended: number];

/**
 * `live`: the sandbox evaluates every query (over the counts of 1,000 Deployments, in
 * JavaScript: slow, and on this machine's CPUs). `replay`: each distinct query is
 * evaluated once and its answer replayed, so Prometheus answers at once and the figures
 * are the backend's own.
 */
export type StandInMode = 'live' | 'replay';

const PHASES = ['Progressing', 'WaitingPromotion', 'Succeeded', 'Succeeded', 'Failed'];
const { chatbots } = workerData as { chatbots: number };
const epochNow = () => performance.timeOrigin + performance.now();

const standIn = await startStandIn();
for (let i = 0; i < chatbots; i++) {
  const phase = PHASES[i % PHASES.length]!;
  standIn.deploy({
    name: `bot-${i}`,
    phase,
    // Flagger routes everything back to blue when a rollout ends, promoted or not.
    greenWeight: phase === 'Succeeded' || phase === 'Failed' ? 0 : 10 + (i % 5) * 10,
    revision: `rev-${i}-b`,
    promotedRevision: `rev-${i}-a`,
    failedChecks: phase === 'Failed' ? 3 : 0,
  });
}
// A message a second each until every weighted side has answered, then quiet: the counts
// stay in the 5m windows the backend asks for, and the users' CPU off the measurement.
await standIn.startTraffic(1);
for (let i = 0; i < chatbots; i++) standIn.mesh.users.setRate(`bot-${i}`, 0);
// The first fleet query, before measuring.
await new PrometheusMetrics({ url: standIn.prometheus.url, timeoutMs: 60_000 }).fleet(
  Array.from({ length: chatbots }, (_, i) => ({ namespace: NS, name: `bot-${i}` })),
  '5m',
);

const log: QueryLogEntry[] = [];
let mode: StandInMode = 'live';
const replays = new Map<string, Promise<Answer>>();
const proxy = createServer(async (req, res) => {
  const entry: QueryLogEntry = [req.url ?? '', epochNow(), NaN];
  log.push(entry);
  const body = await read(req);
  let answer: Promise<Answer>;
  if (mode === 'replay') {
    // The evaluation time is the one parameter that changes between rounds.
    const params = new URLSearchParams(body);
    params.delete('time');
    const key = `${req.url} ${params}`;
    answer = replays.get(key) ?? ask(req, body);
    replays.set(key, answer);
  } else answer = ask(req, body);
  const { status, type, text } = await answer;
  res.writeHead(status, { 'content-type': type }).end(text);
  entry[2] = epochNow();
});
await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));

parentPort!.on('message', async (message: 'log' | 'close' | StandInMode) => {
  if (message === 'log') parentPort!.postMessage([...log]);
  else if (message === 'close') {
    proxy.closeAllConnections();
    proxy.close();
    await standIn.close();
    parentPort!.close();
  } else mode = message;
});

interface Answer {
  status: number;
  type: string;
  text: string;
}

async function ask(req: IncomingMessage, body: string): Promise<Answer> {
  const response = await fetch(new URL(req.url ?? '/', standIn.prometheus.url), {
    method: req.method ?? 'GET',
    headers: { 'content-type': req.headers['content-type'] ?? 'text/plain' },
    ...(req.method === 'POST' ? { body } : {}),
  });
  return {
    status: response.status,
    type: response.headers.get('content-type') ?? 'application/json',
    text: await response.text(),
  };
}

async function read(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const ready: StandInReady = {
  kubeconfig: standIn.kubeconfig,
  prometheusUrl: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
};
parentPort!.postMessage(ready);
