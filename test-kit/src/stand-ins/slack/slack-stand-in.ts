// A small local stand-in for Slack's Web API (https://slack.com/api/<method>), on loopback,
// for the three methods Greenlight calls — and for the `response_url` of its clicks. It
// checks what Slack documents each method to need and answers as Slack does: HTTP 200 with
// `{ok: false, error}` (not_authed without a token, invalid_auth for another token,
// channel_not_found, no_text without text or blocks, invalid_arguments without a required
// argument, message_not_found, no_such_subteam), `{ok: true, …}` otherwise. It is not Slack:
// it keeps messages in memory and invents no other method.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SlackCall {
  method: string;
  args: Record<string, unknown>;
  /** The error it answered, if any. */
  error?: string;
}

export interface SlackMessageRecord {
  channel: string;
  ts: string;
  text?: string;
  blocks?: unknown[];
  /** chat.update calls that changed it. */
  updates: number;
}

export interface SlackStandIn {
  /** For @slack/web-api's `slackApiUrl`. */
  apiUrl: string;
  calls: SlackCall[];
  messages: SlackMessageRecord[];
  /** What was posted to a response_url (an answer to a click), by its path's id. */
  replies: { id: string; body: Record<string, unknown> }[];
  /** A response_url for a click, as Slack gives one. */
  responseUrl(id: string): string;
  close(): Promise<void>;
}

export interface SlackStandInOptions {
  /** The bot token it accepts. */
  token: string;
  channels: string[];
  /** User group ID → its members. */
  userGroups?: Record<string, string[]>;
}

export async function startSlackStandIn(options: SlackStandInOptions): Promise<SlackStandIn> {
  const calls: SlackCall[] = [];
  const messages: SlackMessageRecord[] = [];
  const replies: { id: string; body: Record<string, unknown> }[] = [];
  let clock = 1_700_000_000;

  const answer = (method: string, args: Record<string, unknown>, auth: string | undefined) => {
    if (!auth?.startsWith('Bearer ')) return { ok: false, error: 'not_authed' };
    if (auth !== `Bearer ${options.token}`) return { ok: false, error: 'invalid_auth' };
    const has = (name: string) => typeof args[name] === 'string' && args[name] !== '';
    const hasContent = has('text') || (Array.isArray(args.blocks) && args.blocks.length > 0);
    switch (method) {
      case 'chat.postMessage': {
        if (!has('channel')) return { ok: false, error: 'invalid_arguments' };
        if (!options.channels.includes(String(args.channel)))
          return { ok: false, error: 'channel_not_found' };
        if (!hasContent) return { ok: false, error: 'no_text' };
        const ts = `${clock++}.000100`;
        messages.push({ channel: String(args.channel), ts, ...content(args), updates: 0 });
        return { ok: true, channel: args.channel, ts, message: { ts, ...content(args) } };
      }
      case 'chat.update': {
        if (!has('channel') || !has('ts')) return { ok: false, error: 'invalid_arguments' };
        if (!options.channels.includes(String(args.channel)))
          return { ok: false, error: 'channel_not_found' };
        const message = messages.find((m) => m.channel === args.channel && m.ts === args.ts);
        if (!message) return { ok: false, error: 'message_not_found' };
        if (!hasContent) return { ok: false, error: 'no_text' };
        Object.assign(message, content(args), { updates: message.updates + 1 });
        return { ok: true, channel: args.channel, ts: args.ts, text: message.text };
      }
      case 'usergroups.users.list': {
        if (!has('usergroup')) return { ok: false, error: 'invalid_arguments' };
        const users = options.userGroups?.[String(args.usergroup)];
        if (!users) return { ok: false, error: 'no_such_subteam' };
        return { ok: true, users };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  };

  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk) => (text += chunk));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://slack.local').pathname;
      const send = (payload: unknown) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(payload));
      };
      const reply = /^\/actions\/([\w-]+)$/.exec(path);
      if (reply && req.method === 'POST') {
        replies.push({ id: reply[1]!, body: JSON.parse(text) as Record<string, unknown> });
        return send({ ok: true });
      }
      const method = /^\/api\/([\w.]+)$/.exec(path)?.[1];
      if (!method || req.method !== 'POST') return send({ ok: false, error: 'unknown_method' });
      const args = argsOf(text, req.headers['content-type']);
      const result = answer(method, args, req.headers.authorization);
      calls.push({ method, args, ...(result.ok ? {} : { error: String(result.error) }) });
      send(result);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  return {
    apiUrl: `${base}/api/`,
    calls,
    messages,
    replies,
    responseUrl: (id) => `${base}/actions/${id}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Form-encoded (as @slack/web-api sends, objects as JSON) or JSON arguments. */
function argsOf(text: string, type: string | undefined): Record<string, unknown> {
  if (type?.startsWith('application/json'))
    return JSON.parse(text || '{}') as Record<string, unknown>;
  const args: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    args[key] = key === 'blocks' || key === 'attachments' ? JSON.parse(value) : value;
  }
  return args;
}

function content(args: Record<string, unknown>): { text?: string; blocks?: unknown[] } {
  return {
    ...(typeof args.text === 'string' ? { text: args.text } : {}),
    ...(Array.isArray(args.blocks) ? { blocks: args.blocks } : {}),
  };
}
