// Stands in for a Slack incoming webhook (https://api.slack.com/messaging/webhooks) on
// loopback: POST a JSON message to the webhook's secret URL, `ok` back. It answers as Slack
// documents its errors — `invalid_payload` for a body or a field of the wrong shape,
// `no_text` for a message with none of `text`, `blocks` or `attachments`,
// `too_many_attachments` past 100, `no_service` for any other URL —
// and keeps every message it accepted. It checks the shape Slack reads, nothing more: text
// a string, blocks and attachments non-empty lists of objects, each attachment with text,
// a fallback or fields of title and value.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SlackMessage {
  text?: string;
  channel?: string;
  username?: string;
  blocks?: object[];
  attachments?: SlackAttachment[];
}

export interface SlackAttachment {
  text?: string;
  fallback?: string;
  author_name?: string;
  fields?: { title: string; value: string; short?: boolean }[];
}

export interface SlackWebhook {
  /** The webhook's URL: the Secret's `address`. */
  url: string;
  /** Every message accepted, in order. */
  messages: SlackMessage[];
  /** What was refused, and why, in order. */
  refused: string[];
  close(): Promise<void>;
}

export async function startSlackWebhook(): Promise<SlackWebhook> {
  // As Slack's: /services/<team>/<channel's hook>/<secret>.
  const path = `/services/T0E2E/B0E2E/${randomBytes(12).toString('hex')}`;
  const messages: SlackMessage[] = [];
  const refused: string[] = [];
  const answer = (res: ServerResponse, status: number, body: string) => {
    if (status !== 200) refused.push(body);
    res.writeHead(status, { 'content-type': 'text/plain' }).end(body);
  };
  const server = createServer((req, res) => {
    void readBody(req).then((body) => {
      if (req.method !== 'POST' || req.url !== path) return answer(res, 404, 'no_service');
      let message: unknown;
      try {
        message = JSON.parse(body);
      } catch {
        return answer(res, 400, 'invalid_payload');
      }
      const problem = shapeProblem(message);
      if (problem) return answer(res, 400, problem);
      messages.push(message as SlackMessage);
      answer(res, 200, 'ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    messages,
    refused,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const objects = (value: unknown): value is Record<string, unknown>[] =>
  Array.isArray(value) && value.length > 0 && value.every(isObject);

/** Why Slack would refuse `message`, or undefined. */
function shapeProblem(message: unknown): string | undefined {
  if (!isObject(message)) return 'invalid_payload';
  const { text, blocks, attachments } = message;
  if (text === undefined && blocks === undefined && attachments === undefined) return 'no_text';
  if (text !== undefined && typeof text !== 'string') return 'invalid_payload';
  if (blocks !== undefined && !objects(blocks)) return 'invalid_payload';
  if (attachments !== undefined && !(objects(attachments) && attachments.every(readable)))
    return 'invalid_payload';
  if (Array.isArray(attachments) && attachments.length > 100) return 'too_many_attachments';
  for (const key of ['channel', 'username', 'icon_emoji', 'icon_url'] as const) {
    if (message[key] !== undefined && typeof message[key] !== 'string') return 'invalid_payload';
  }
  return undefined;
}

function readable(attachment: Record<string, unknown>): boolean {
  const { text, fallback, fields } = attachment;
  const fieldsOk =
    fields === undefined ||
    (Array.isArray(fields) &&
      fields.every(
        (f) => isObject(f) && typeof f.title === 'string' && typeof f.value === 'string',
      ));
  return (
    fieldsOk &&
    (typeof text === 'string' ||
      typeof fallback === 'string' ||
      (Array.isArray(fields) && fields.length > 0))
  );
}
