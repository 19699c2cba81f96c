import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { KubernetesObject, V1Deployment } from '@kubernetes/client-node';
import type { Canary } from 'flagger-types';
import { decide } from '@greenlight/core';
import { BodyError, readJsonBody } from './body.ts';
import { confirmLive, type GateDecision } from './live.ts';
import type { LiveReader, ObjectLookup } from './lookup.ts';
import type { GateMetrics, GateName } from './metrics.ts';
import { publicAnswer } from './public-answer.ts';
import type { DecisionRecorder } from './recorder.ts';
import { explainSyncError } from './sync-errors.ts';

export interface GateDependencies {
  canaries: ObjectLookup<Canary>;
  deployments: ObjectLookup<V1Deployment>;
  /** Confirms every allow on live objects before the gate answers 200 (core's createObjectReader). */
  live: LiveReader;
  metrics: GateMetrics;
  recorder?: DecisionRecorder;
  log?: (line: string) => void;
  /** The API server's URL, for /readyz's advice (never credentials). */
  apiServer?: string;
}

/** Flagger webhook types → the gate that answers them (DESIGN.md §3). */
const ROUTES: Record<string, GateName> = {
  '/gate/promotion': 'promotion',
  '/gate/rollback': 'rollback',
};

/**
 * The gate's HTTP surface. Every answer but a 2xx refuses: Flagger treats any other status,
 * and a timeout, as "not yet" (confirm-promotion) or "don't" (rollback).
 */
export function createGateServer(deps: GateDependencies): Server {
  return createServer((request, response) => {
    handle(deps, request, response).catch((error: unknown) => {
      deps.log?.(`gate: unexpected error: ${(error as Error).message}`);
      if (!response.headersSent) send(response, 500, { allowed: false, reason: 'internal error' });
    });
  });
}

async function handle(deps: GateDependencies, request: IncomingMessage, response: ServerResponse) {
  const path = (request.url ?? '/').split('?')[0] ?? '/';
  if (path === '/healthz') return health(deps, request, response);
  if (path === '/readyz') return ready(deps, request, response);
  if (path === '/metrics') return metrics(deps, request, response);
  const gate = ROUTES[path];
  if (!gate) return send(response, 404, { allowed: false, reason: `no such endpoint ${path}` });
  if (request.method !== 'POST') {
    request.resume();
    response.setHeader('allow', 'POST');
    return send(response, 405, { allowed: false, reason: `${path} takes POST` });
  }

  const started = process.hrtime.bigint();
  let payload: unknown;
  try {
    payload = await readJsonBody(request);
  } catch (error) {
    if (!(error instanceof BodyError)) throw error;
    deps.metrics.decisions.inc({ gate, result: 'invalid', code: 'BadRequest' });
    // The rest of an oversized body is never read, so the connection cannot carry another
    // request: say so, or a keep-alive client sends its next request into a dead socket.
    if (error.status === 413) response.setHeader('connection', 'close');
    return send(response, error.status, { allowed: false, reason: error.message });
  }

  const { canary, target } = lookUp(deps, payload);
  const cached = decide({ gate, payload, canary, target, synced: isSynced(deps) });
  const decision: GateDecision = cached.allowed
    ? await confirmLive(deps, gate, payload, cached)
    : cached;
  send(response, decision.status, publicAnswer(gate, decision, payload));

  const result = decision.allowed ? 'allowed' : decision.status === 400 ? 'invalid' : 'refused';
  deps.metrics.decisions.inc({ gate, result, code: decision.code });
  deps.metrics.duration.observe({ gate }, Number(process.hrtime.bigint() - started) / 1e9);
  // A malformed request is not a decision about the canary: it leaves no trace on it.
  if (canary && decision.status !== 400) deps.recorder?.record(canary, { gate, ...decision });
}

/** Finds the canary the payload names and its target (green) Deployment, from the caches. */
function lookUp(deps: GateDependencies, payload: unknown) {
  if (typeof payload !== 'object' || payload === null) return {};
  const { name, namespace } = payload as Record<string, unknown>;
  if (typeof name !== 'string' || typeof namespace !== 'string') return {};
  const canary = deps.canaries.get(namespace, name);
  const targetName = canary?.spec?.targetRef?.name;
  const target = targetName ? deps.deployments.get(namespace, targetName) : undefined;
  return { canary, target };
}

/** Liveness: the process serves. An unsynced gate still answers, with refusals. */
function health(deps: GateDependencies, request: IncomingMessage, response: ServerResponse) {
  request.resume();
  send(response, 200, { status: 'ok', synced: isSynced(deps) });
}

/**
 * Readiness: only a synced gate takes traffic, so a restarting replica leaves the Service.
 * Not ready, it says which cache, the last error and what to fix (kubectl describe pod shows
 * the probe's body).
 */
function ready(deps: GateDependencies, request: IncomingMessage, response: ServerResponse) {
  request.resume();
  const synced = isSynced(deps);
  if (synced) return send(response, 200, { status: 'ready', synced });
  const caches = [
    cacheState('Canary', deps.canaries, deps.apiServer),
    cacheState('Deployment', deps.deployments, deps.apiServer),
  ];
  send(response, 503, { status: 'not ready', synced, caches });
}

function cacheState<T extends KubernetesObject>(
  kind: string,
  cache: ObjectLookup<T>,
  apiServer?: string,
) {
  const name = cache.description ?? kind;
  if (cache.synced) return { cache: name, synced: true };
  const error = cache.lastError;
  if (!error) {
    return { cache: name, synced: false, why: 'its first list has not been answered yet' };
  }
  return {
    cache: name,
    synced: false,
    lastError: error.message,
    fix: explainSyncError(kind, error, apiServer),
  };
}

function isSynced(deps: GateDependencies): boolean {
  const synced = deps.canaries.synced && deps.deployments.synced;
  deps.metrics.cacheSynced.set(synced ? 1 : 0);
  return synced;
}

async function metrics(deps: GateDependencies, request: IncomingMessage, response: ServerResponse) {
  request.resume();
  isSynced(deps);
  response.writeHead(200, { 'content-type': deps.metrics.registry.contentType });
  response.end(await deps.metrics.registry.metrics());
}

function send(response: ServerResponse, status: number, body: object) {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}
