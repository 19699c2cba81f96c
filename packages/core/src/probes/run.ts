import { patternMatches, showPattern } from './pattern.ts';
import { buildProbeRequest } from './request.ts';
import type { FunctionProbe, ProbeExpect, ProbeFailure, ProbeRun, ProbeTurn } from './types.ts';

// The prober's run (docs/probes.md): every turn of every conversation, `rounds` times, each
// reply checked before the next turn is sent. The first wrong reply ends the run: Flagger
// counts the webhook as one failed check either way, and what it shows is that turn.
// Requests go through the global fetch, so Node's proxy settings (NODE_USE_ENV_PROXY with
// HTTP_PROXY / NO_PROXY) apply to them as to any other client.

export interface RunProbeOptions {
  /** `http://<name>-canary.<namespace>:<port>`; the probe's path is appended. */
  baseUrl: string;
  rounds: number;
  /** The bot's Slack signing secret, for Slack turns; without it they go unsigned. */
  signingSecret?: string;
  fetch?: typeof fetch;
  /** Milliseconds since the epoch: Slack's timestamps and the run's duration. */
  now?: () => number;
  /** Per request, reply included; default 5000. */
  timeoutMs?: number;
}

export const DEFAULT_PROBE_TIMEOUT_MS = 5000;
/** How much of a request or reply a failure quotes. */
const SHOWN_CHARS = 300;
/** The most of a reply the prober reads: a bot streaming without end cannot fill its memory. */
export const MAX_REPLY_BYTES = 64 * 1024;
const TOO_LARGE = `reply larger than ${MAX_REPLY_BYTES / 1024} KiB`;

export async function runProbe(probe: FunctionProbe, options: RunProbeOptions): Promise<ProbeRun> {
  const now = options.now ?? Date.now;
  const url = targetUrl(options.baseUrl, probe.path);
  const started = now();
  let requests = 0;
  for (let round = 0; round < options.rounds; round++) {
    for (const conversation of probe.conversations) {
      for (const [index, turn] of conversation.turns.entries()) {
        requests++;
        const failure = await sendTurn(url, turn, options, now);
        if (failure) {
          return {
            ok: false,
            requests,
            durationMs: now() - started,
            failure: { conversation: conversation.name, turn: index + 1, ...failure },
          };
        }
      }
    }
  }
  return { ok: true, requests, durationMs: now() - started };
}

type TurnFailure = Omit<ProbeFailure, 'conversation' | 'turn'>;

async function sendTurn(
  url: string,
  turn: ProbeTurn,
  options: RunProbeOptions,
  now: () => number,
): Promise<TurnFailure | undefined> {
  const built = buildProbeRequest(turn.request, {
    signingSecret: options.signingSecret,
    nowMs: now(),
  });
  const request = shorten(`POST ${url} ${built.shown}`);
  const timeoutMs = options.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
  let status: number;
  let body: string;
  let whole: boolean;
  try {
    const response = await (options.fetch ?? fetch)(url, {
      method: 'POST',
      headers: { ...built.headers, 'user-agent': 'greenlight-probe' },
      body: built.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    status = response.status;
    ({ text: body, whole } = await readCapped(response, MAX_REPLY_BYTES));
  } catch (error) {
    const timedOut = (error as Error).name === 'TimeoutError';
    const why = timedOut ? `no reply within ${timeoutMs} ms` : `no reply: ${describeError(error)}`;
    return { request, reply: why, reason: timedOut ? 'timed out' : 'request failed' };
  }
  if (!whole) return { request, reply: shorten(`${status} ${body}`), reason: TOO_LARGE };
  const reason = unmet(status, replyText(body), turn.expect);
  return reason ? { request, reply: shorten(`${status} ${body}`), reason } : undefined;
}

/** What did not hold, or undefined when every given expectation does. */
function unmet(status: number, text: string, expect: ProbeExpect): string | undefined {
  const wanted = expect.status ?? 200;
  if (status !== wanted) return `status ${status}, expected ${wanted}`;
  if (expect.contains !== undefined && !text.includes(expect.contains)) {
    return `does not contain ${JSON.stringify(expect.contains)}`;
  }
  if (expect.matches !== undefined && !patternMatches(expect.matches, text)) {
    return `does not match ${showPattern(expect.matches)}`;
  }
  return undefined;
}

/** The body as text; once it passes `maxBytes`, what came before, not `whole`, the stream cancelled. */
async function readCapped(
  response: Response,
  maxBytes: number,
): Promise<{ text: string; whole: boolean }> {
  if (!response.body) return { text: '', whole: true };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return { text: Buffer.concat(chunks).toString('utf8'), whole: false };
    }
    chunks.push(value);
  }
  return { text: Buffer.concat(chunks).toString('utf8'), whole: true };
}

/** The reply as a person reads it: the JSON `reply` (web chat) or `text` (Slack), else the body. */
export function replyText(body: string): string {
  try {
    const json: unknown = JSON.parse(body);
    if (typeof json === 'object' && json !== null) {
      const { reply, text } = json as Record<string, unknown>;
      if (typeof reply === 'string') return reply;
      if (typeof text === 'string') return text;
    }
  } catch {
    // not JSON: the body is the reply
  }
  return body;
}

/** fetch's "fetch failed" hides the cause (ECONNREFUSED, ENOTFOUND …); say it. */
function describeError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const message = (error as Error).message;
  return cause?.code ?? cause?.message ?? message;
}

function shorten(text: string): string {
  const line = oneLine(text);
  return line.length > SHOWN_CHARS ? `${line.slice(0, SHOWN_CHARS - 1)}…` : line;
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ');
}

/**
 * `baseUrl` + `path`, on baseUrl's host whatever the path says: the path comes from webhook
 * metadata, and `//elsewhere/` resolved as a URL would send the probe (and its signature) away.
 */
export function targetUrl(baseUrl: string, path: string): string {
  const base = new URL(baseUrl);
  const url = new URL(
    `${base.origin}${base.pathname.replace(/\/$/, '')}/${path.replace(/^\/+/, '')}`,
  );
  if (url.origin !== base.origin)
    throw new Error(`probe path ${JSON.stringify(path)} leaves ${base.origin}`);
  return url.toString();
}
