import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createChatbotServer, signSlackRequest } from '../index.ts';

const SECRET = 'test-signing-secret';
const now = (): string => String(Math.floor(Date.now() / 1000));

function start(
  config: Parameters<typeof createChatbotServer>[0],
): Promise<{ server: Server; url: string }> {
  return new Promise((resolve) => {
    const server = createChatbotServer(config).listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, url: `http://127.0.0.1:${port}` });
    });
  });
}

const stop = (server: Server): Promise<void> =>
  new Promise((resolve) => server.close(() => resolve()));

const form = 'command=%2Fchatbot&text=ping&user_name=ana';
const formHeaders = { 'content-type': 'application/x-www-form-urlencoded' };
const jsonHeaders = { 'content-type': 'application/json' };

describe('the chatbot without a signing secret (local use)', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => ({ server, url } = await start({ color: 'green', revision: 'abc123' })));
  afterAll(() => stop(server));

  it('answers GET /_/health so OpenFaaS marks it ready', async () => {
    const response = await fetch(`${url}/_/health`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('OK');
  });

  it('answers a Slack slash command in the channel, naming its colour and revision', async () => {
    const response = await fetch(url, { method: 'POST', headers: formHeaders, body: form });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      response_type: 'in_channel',
      text: '🟢 green (abc123) says: pong',
    });
  });

  it('answers a web chat message with the version that replied', async () => {
    const response = await fetch(`${url}/chat`, {
      method: 'POST',
      headers: jsonHeaders,
      body: JSON.stringify({ message: 'hello', user: 'bo' }),
    });
    expect(await response.json()).toEqual({
      reply: '🟢 green (abc123) says: hello @bo!',
      color: 'green',
      revision: 'abc123',
    });
  });

  it('echoes the Events API url_verification challenge', async () => {
    const response = await fetch(url, {
      method: 'POST',
      headers: jsonHeaders,
      body: JSON.stringify({ type: 'url_verification', token: 't', challenge: 'c-42' }),
    });
    expect(await response.json()).toEqual({ challenge: 'c-42' });
  });

  it('computes a reply to an app mention and ignores messages from bots', async () => {
    const mention = {
      type: 'event_callback',
      event: { type: 'app_mention', text: '<@U123> ping' },
    };
    const fromBot = {
      type: 'event_callback',
      event: { type: 'message', text: 'hi', bot_id: 'B1' },
    };
    const post = (body: unknown) =>
      fetch(url, { method: 'POST', headers: jsonHeaders, body: JSON.stringify(body) }).then((r) =>
        r.json(),
      );
    expect(await post(mention)).toEqual({ ok: true, text: '🟢 green (abc123) says: pong' });
    expect(await post(fromBot)).toEqual({ ok: true });
  });

  it('refuses a body it cannot read and a method it does not serve', async () => {
    const bad = await fetch(url, { method: 'POST', headers: jsonHeaders, body: '{nope' });
    expect(bad.status).toBe(400);
    const get = await fetch(url);
    expect(get.status).toBe(405);
  });
});

describe('the chatbot with a Slack signing secret', () => {
  let server: Server;
  let url: string;
  beforeAll(
    async () =>
      ({ server, url } = await start({ color: 'blue', revision: 'def456', signingSecret: SECRET })),
  );
  afterAll(() => stop(server));

  const slash = (headers: Record<string, string>) =>
    fetch(url, { method: 'POST', headers: { ...formHeaders, ...headers }, body: form });

  it('accepts a request signed with the secret', async () => {
    const timestamp = now();
    const response = await slash({
      'x-slack-request-timestamp': timestamp,
      'x-slack-signature': signSlackRequest(SECRET, timestamp, form),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ text: '🔵 blue (def456) says: pong' });
  });

  it('rejects a request signed with another secret with 401', async () => {
    const timestamp = now();
    const response = await slash({
      'x-slack-request-timestamp': timestamp,
      'x-slack-signature': signSlackRequest('someone-else', timestamp, form),
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      error: 'invalid Slack request: signature does not match',
    });
  });

  it('rejects an unsigned Slack request with 401', async () => {
    const response = await slash({});
    expect(response.status).toBe(401);
  });

  it('rejects a correctly signed request older than five minutes (replay)', async () => {
    const timestamp = String(Math.floor(Date.now() / 1000) - 6 * 60);
    const response = await slash({
      'x-slack-request-timestamp': timestamp,
      'x-slack-signature': signSlackRequest(SECRET, timestamp, form),
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      error: 'invalid Slack request: stale or invalid X-Slack-Request-Timestamp',
    });
  });

  it('checks the signature of Events API requests too', async () => {
    const body = JSON.stringify({ type: 'url_verification', challenge: 'c-1' });
    const unsigned = await fetch(url, { method: 'POST', headers: jsonHeaders, body });
    expect(unsigned.status).toBe(401);
    const timestamp = now();
    const signed = await fetch(url, {
      method: 'POST',
      headers: {
        ...jsonHeaders,
        'x-slack-request-timestamp': timestamp,
        'x-slack-signature': signSlackRequest(SECRET, timestamp, body),
      },
      body,
    });
    expect(await signed.json()).toEqual({ challenge: 'c-1' });
  });
});
