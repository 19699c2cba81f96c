import { delayFor, failsOn, withFault, type DemoFault } from './faults.ts';
import { answer, say, type BotIdentity } from './reply.ts';
import { verifySlackSignature } from './slack.ts';

// The function's whole behaviour as a pure function: one HTTP request in, one reply out.
// Three kinds of caller post to it:
//   - Slack slash commands: application/x-www-form-urlencoded with `text`, `user_name`, `command`;
//     Slack shows the JSON reply's `text` in the channel.
//   - Slack's Events API: JSON with `type`; `url_verification` must echo `challenge`.
//   - A web chat: JSON `{ "message": "..." }`, answered with `{ "reply": "..." }`.
// Slack requests must carry a valid signature when a signing secret is configured.

export interface ChatbotConfig extends BotIdentity {
  /** Slack's signing secret; when unset, Slack requests are accepted unsigned (local use). */
  signingSecret?: string;
  /** Demo faults switched on by DEMO_FAULT (faults.ts); none in a good version. */
  faults?: DemoFault[];
}

export interface ChatRequest {
  method: string;
  path: string;
  /** Lower-case header names, as node:http gives them. */
  headers: Readonly<Record<string, string | undefined>>;
  body: string;
  /** The current time in Unix seconds, for the signature's freshness check. */
  now: number;
}

export interface ChatReply {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** How long the server waits before it answers (the slow-replies demo fault). */
  delayMs?: number;
}

export const HEALTH_PATH = '/_/health';

export function handle(request: ChatRequest, config: ChatbotConfig): ChatReply {
  if (request.path === HEALTH_PATH) {
    return request.method === 'GET' || request.method === 'HEAD'
      ? text(200, 'OK')
      : text(405, 'use GET', { allow: 'GET' });
  }
  if (request.method !== 'POST') return text(405, 'POST a chat message', { allow: 'POST' });

  const contentType = (request.headers['content-type'] ?? '').split(';', 1)[0]!.trim();
  if (contentType === 'application/x-www-form-urlencoded') {
    return slack(request, config, () => slashCommand(new URLSearchParams(request.body), config));
  }
  let payload: unknown;
  try {
    payload = JSON.parse(request.body);
  } catch {
    return json(400, { error: 'send JSON {"message": "..."} or a Slack request' });
  }
  if (isObject(payload) && typeof payload.type === 'string') {
    return slack(request, config, () => slackEvent(payload, config));
  }
  if (isObject(payload) && typeof payload.message === 'string') {
    const user = typeof payload.user === 'string' ? payload.user : undefined;
    if (failsOn(config.faults, payload.message)) return failed();
    return slowed(
      config,
      payload.message,
      json(200, {
        reply: reply(config, payload.message, user),
        color: config.color,
        revision: config.revision,
      }),
    );
  }
  return json(400, { error: 'expected {"message": "..."}' });
}

function slack(request: ChatRequest, config: ChatbotConfig, respond: () => ChatReply): ChatReply {
  if (config.signingSecret) {
    const verdict = verifySlackSignature(
      config.signingSecret,
      {
        timestamp: request.headers['x-slack-request-timestamp'],
        signature: request.headers['x-slack-signature'],
        body: request.body,
      },
      request.now,
    );
    if (!verdict.ok) return json(401, { error: `invalid Slack request: ${verdict.reason}` });
  }
  return respond();
}

function slashCommand(form: URLSearchParams, config: ChatbotConfig): ChatReply {
  const message = form.get('text') ?? '';
  if (failsOn(config.faults, message)) return failed();
  // `in_channel` shows the answer to everyone, so a channel sees which version replied.
  return slowed(
    config,
    message,
    json(200, {
      response_type: 'in_channel',
      text: reply(config, message, form.get('user_name') ?? undefined),
    }),
  );
}

function slackEvent(payload: Record<string, unknown>, config: ChatbotConfig): ChatReply {
  if (payload.type === 'url_verification') {
    return json(200, { challenge: typeof payload.challenge === 'string' ? payload.challenge : '' });
  }
  const event = isObject(payload.event) ? payload.event : {};
  const isMessage = event.type === 'app_mention' || event.type === 'message';
  // Never answer a bot (ourselves included): that is how reply loops start.
  if (payload.type !== 'event_callback' || !isMessage || event.bot_id !== undefined) {
    return json(200, { ok: true });
  }
  // Slack ignores this body; posting into the channel needs chat.postMessage and a bot token,
  // which this example leaves out. The reply is returned so tests and logs can see it.
  const message = typeof event.text === 'string' ? event.text.replace(/<@[A-Z0-9]+>\s*/g, '') : '';
  if (failsOn(config.faults, message)) return failed();
  return slowed(config, message, json(200, { ok: true, text: reply(config, message) }));
}

function reply(config: ChatbotConfig, message: string, user?: string): string {
  return say(config, withFault(config.faults, answer(message, user)));
}

function slowed(config: ChatbotConfig, message: string, reply: ChatReply): ChatReply {
  const delayMs = delayFor(config.faults, message);
  return delayMs > 0 ? { ...reply, delayMs } : reply;
}

/** What a handler that threw answers (the fail-questions demo fault). */
function failed(): ChatReply {
  return json(500, { error: 'internal error' });
}

function json(status: number, body: unknown): ChatReply {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify(body),
  };
}

function text(status: number, body: string, headers: Record<string, string> = {}): ChatReply {
  return { status, headers: { 'content-type': 'text/plain; charset=utf-8', ...headers }, body };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
