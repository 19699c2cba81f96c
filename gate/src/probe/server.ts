import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import {
  DEFAULT_PROBE_TIMEOUT_MS,
  formatProbeFailure,
  parseWebhookPayload,
  probeFromMetadata,
  runProbe,
  UserError,
  type KubeClient,
  type ProbeWebhook,
} from '@greenlight/core';
import { BodyError, readJsonBody } from '../body.ts';
import type { ProbeRecorder } from './events.ts';
import type { ProbeMetrics } from './metrics.ts';
import { ProbeProblem } from './problem.ts';
import { signingSecretFor } from './secret.ts';
import { readTarget } from './target.ts';
import { canaryOwnMetadata } from './webhook.ts';

// greenlight-probe's HTTP surface (docs/probes.md). Flagger POSTs its webhook payload; the
// probe in the metadata runs against the Canary's own canary Service, and only when the
// Canary's own webhook carries that metadata (./webhook.ts). Flagger passes a
// webhook on 200–202 and counts anything else as a failed check, putting the body into its
// Warning event — so a failure's body is the one line that names the turn.

export interface ProbeDependencies {
  /** Reads Canaries, Deployments and named Secrets; records Events. */
  kube: Pick<KubeClient, 'get' | 'recordEvent'>;
  metrics: ProbeMetrics;
  recorder: ProbeRecorder;
  /** Per request to the bot (at most the webhook's requestTimeout); runProbe's default when unset. */
  requestTimeoutMs?: number;
  log?: (line: string) => void;
}

const ROUTES: Record<string, ProbeWebhook> = {
  '/probe/pre-rollout': 'pre-rollout',
  '/probe/rollout': 'rollout',
};

export function createProbeServer(deps: ProbeDependencies): Server {
  return createServer((request, response) => {
    handle(deps, request, response).catch((error: unknown) => {
      deps.log?.(`probe: unexpected error: ${(error as Error).message}`);
      if (!response.headersSent) text(response, 500, 'internal error');
    });
  });
}

async function handle(deps: ProbeDependencies, request: IncomingMessage, response: ServerResponse) {
  const path = (request.url ?? '/').split('?')[0] ?? '/';
  if (path === '/healthz') {
    request.resume();
    return json(response, 200, { status: 'ok' });
  }
  if (path === '/metrics') {
    request.resume();
    response.writeHead(200, { 'content-type': deps.metrics.registry.contentType });
    return response.end(await deps.metrics.registry.metrics());
  }
  const phase = ROUTES[path];
  if (!phase) {
    request.resume();
    return text(
      response,
      404,
      `no such endpoint ${path}; Flagger's webhooks POST to /probe/pre-rollout and /probe/rollout`,
    );
  }
  if (request.method !== 'POST') {
    request.resume();
    response.setHeader('allow', 'POST');
    return text(response, 405, `${path} takes POST`);
  }
  const started = process.hrtime.bigint();
  const { status, body, result } = await probe(deps, phase, path, request);
  if (status === 413) response.setHeader('connection', 'close');
  if (typeof body === 'string') text(response, status, body);
  else json(response, status, body);
  deps.metrics.runs.inc({ phase, result });
  deps.metrics.duration.observe({ phase }, Number(process.hrtime.bigint() - started) / 1e9);
}

type Answer = { status: number; body: string | object; result: string };

async function probe(
  deps: ProbeDependencies,
  phase: ProbeWebhook,
  path: string,
  request: IncomingMessage,
): Promise<Answer> {
  let body: unknown;
  try {
    body = await readJsonBody(request);
  } catch (error) {
    if (!(error instanceof BodyError)) throw error;
    return { status: error.status, body: error.message, result: 'invalid' };
  }
  const parsed = parseWebhookPayload(body);
  if (!parsed.ok) return { status: 400, body: parsed.reason, result: 'invalid' };
  const { payload } = parsed;
  let wanted;
  try {
    wanted = probeFromMetadata(payload.metadata);
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    return { status: 400, body: error.message, result: 'invalid' };
  }

  const id = `${payload.namespace}/${payload.name}`;
  let target;
  try {
    target = await readTarget(deps.kube, payload);
    // A forged payload is refused without an Event: an Event would let anyone who reaches
    // the prober write a probe result onto a Canary that the action then reads.
    canaryOwnMetadata(target.canary, phase, path, payload.metadata ?? {});
  } catch (error) {
    if (!(error instanceof ProbeProblem)) throw error;
    deps.log?.(`probe: ${phase} ${id}: ${error.message}`);
    return { status: error.status, body: error.message, result: resultOf(error) };
  }
  let signingSecret: string | undefined;
  try {
    signingSecret = await signingSecretFor(deps.kube, target, wanted.probe);
  } catch (error) {
    if (!(error instanceof ProbeProblem)) throw error;
    deps.log?.(`probe: ${phase} ${id}: ${error.message}`);
    deps.recorder.recordProblem(target.canary, phase, target.revision, error.message);
    return { status: error.status, body: error.message, result: resultOf(error) };
  }

  const run = await runProbe(wanted.probe, {
    baseUrl: target.baseUrl,
    rounds: wanted.rounds,
    ...(signingSecret !== undefined && { signingSecret }),
    timeoutMs: requestTimeout(deps.requestTimeoutMs, wanted.requestTimeoutMs),
  });
  deps.metrics.requests.inc({ phase }, run.requests);
  deps.recorder.record(target.canary, phase, target.revision, run);
  const where = `${phase} ${id} revision ${target.revision}`;
  if (run.ok || !run.failure) {
    deps.log?.(
      `probe: ${where}: passed, ${run.requests} requests in ${Math.round(run.durationMs)} ms`,
    );
    return {
      status: 200,
      body: { ok: true, requests: run.requests, durationMs: Math.round(run.durationMs) },
      result: 'passed',
    };
  }
  const failure = formatProbeFailure(run.failure);
  deps.log?.(`probe: ${where}: failed: ${failure}`);
  // 422, not a 5xx: Flagger's webhook client (retryablehttp) treats a 5xx as retryable and,
  // once its retries are spent, reports "giving up after N attempt(s)" without the body —
  // a 4xx body is what Flagger copies into its own Warning event (docs/design.md, "Chat probes").
  return { status: 422, body: failure, result: 'failed' };
}

/**
 * Never longer per request than render sized Flagger's webhook timeout for (the metadata's
 * requestTimeout): a slow reply is then the failed turn, not Flagger cutting the call off.
 * The prober's own --request-timeout may only make it shorter.
 */
function requestTimeout(own: number | undefined, sizedFor: number | undefined): number {
  return Math.min(own ?? DEFAULT_PROBE_TIMEOUT_MS, sizedFor ?? Infinity);
}

function resultOf(problem: ProbeProblem): string {
  if (problem.status === 403) return 'refused';
  return problem.status === 503 ? 'unavailable' : 'invalid';
}

function json(response: ServerResponse, status: number, body: object) {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

function text(response: ServerResponse, status: number, body: string) {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  response.end(body);
}
