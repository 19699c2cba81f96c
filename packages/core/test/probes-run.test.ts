import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from '@jest/globals';
import {
  createChatbotServer,
  signSlackRequest,
  type ChatbotConfig,
} from '../../../examples/chatbot/index.ts';
import { formatProbeFailure, loadProbeFile, runProbe, type FunctionProbe } from '../src/index.ts';

// The runner against the real example chatbot's HTTP server on loopback: its handler verifies
// Slack signatures as it does Slack's, so a Slack turn passes only when signed right.

const SECRET = 'the-bots-signing-secret';
const probesFile = fileURLToPath(new URL('../../../examples/chatbot/probes.yml', import.meta.url));

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function listen(server: Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const chatbot = (config: Partial<ChatbotConfig> = {}) =>
  listen(
    createChatbotServer({ color: 'green', revision: 'rev-2', signingSecret: SECRET, ...config }),
  );

async function exampleProbe(): Promise<FunctionProbe> {
  const probe = (await loadProbeFile(probesFile))?.functions.chatbot;
  if (!probe) throw new Error(`${probesFile} has no chatbot`);
  return probe;
}

const greets = (contains: string): FunctionProbe => ({
  path: '/',
  conversations: [
    {
      name: 'greets',
      turns: [
        { request: { kind: 'webchat', message: 'hello', user: 'ana' }, expect: { contains } },
        { request: { kind: 'webchat', message: 'ping' }, expect: { matches: 'pong$' } },
      ],
    },
  ],
});

describe('runProbe', () => {
  it('passes the example probes.yml against the chatbot, every turn `rounds` times', async () => {
    const probe = await exampleProbe();
    const turns = probe.conversations.reduce((n, c) => n + c.turns.length, 0);
    const run = await runProbe(probe, {
      baseUrl: await chatbot(),
      rounds: 3,
      signingSecret: SECRET,
    });
    expect(run).toEqual({ ok: true, requests: 3 * turns, durationMs: expect.any(Number) });
  });

  it('stops at the first wrong reply, naming the turn, the request and the reply', async () => {
    const run = await runProbe(greets('says: hello @ana!'), {
      baseUrl: await chatbot({ color: 'blue' }),
      rounds: 5,
    });
    expect(run.ok).toBe(true);

    const wrong = await runProbe(greets('says: goodbye'), {
      baseUrl: await chatbot(),
      rounds: 5,
    });
    expect(wrong.ok).toBe(false);
    expect(wrong.requests).toBe(1);
    expect(wrong.failure).toEqual({
      conversation: 'greets',
      turn: 1,
      request: expect.stringMatching(
        /^POST http:\/\/127\.0\.0\.1:\d+\/ webchat \{"message":"hello","user":"ana"\}$/,
      ),
      reply: expect.stringMatching(/^200 \{"reply":"🟢 green \(rev-2\) says: hello @ana!"/),
      reason: 'does not contain "says: goodbye"',
    });
    expect(formatProbeFailure(wrong.failure!)).toMatch(
      /^conversation "greets" turn 1: sent "POST .* webchat .*"; reply "200 \{\\"reply\\".*": does not contain "says: goodbye"$/,
    );
  });

  it('reports the bot refusing a Slack turn signed with another secret, never the signature', async () => {
    const probe = await exampleProbe();
    const run = await runProbe(probe, {
      baseUrl: await chatbot(),
      rounds: 1,
      signingSecret: 'not-the-bots-secret',
    });
    const slack = probe.conversations.findIndex((c) =>
      c.turns.some((t) => t.request.kind !== 'webchat'),
    );
    expect(run.failure).toMatchObject({
      conversation: probe.conversations[slack]!.name,
      turn: 1,
      reason: 'status 401, expected 200',
      reply: '401 {"error":"invalid Slack request: signature does not match"}',
    });
    expect(run.failure!.request).toMatch(/slackCommand \/chatbot "version"$/);
    expect(formatProbeFailure(run.failure!)).not.toMatch(/v0=|x-slack/i);
  });

  it('sends an unsigned Slack turn without a secret, which a verifying bot refuses', async () => {
    const run = await runProbe(await exampleProbe(), { baseUrl: await chatbot(), rounds: 1 });
    expect(run.failure?.reply).toMatch(/^401 .*missing X-Slack-Signature/);
  });

  it('sends what Slack sends: the slash command form and the event_callback, signed', async () => {
    const seen: { headers: IncomingMessage['headers']; body: string }[] = [];
    const recorder = createServer(async (request, response) => {
      let body = '';
      for await (const chunk of request) body += String(chunk);
      seen.push({ headers: request.headers, body });
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ text: 'pong' }));
    });
    const probe: FunctionProbe = {
      path: '/function/chatbot',
      conversations: [
        {
          name: 'slack',
          turns: [
            {
              request: { kind: 'slack-command', command: '/ask', text: 'ping', userName: 'ana' },
              expect: { contains: 'pong' },
            },
            {
              request: {
                kind: 'slack-event',
                event: { type: 'app_mention', text: '<@U0BOT> ping' },
              },
              expect: { contains: 'pong' },
            },
          ],
        },
      ],
    };
    const at = 1_700_000_000_123;
    const run = await runProbe(probe, {
      baseUrl: await listen(recorder),
      rounds: 1,
      signingSecret: SECRET,
      now: () => at,
    });
    expect(run).toMatchObject({ ok: true, requests: 2 });
    const [command, event] = seen;
    expect(command!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(command!.body))).toMatchObject({
      command: '/ask',
      text: 'ping',
      user_name: 'ana',
      team_id: expect.any(String),
      channel_id: expect.any(String),
      user_id: expect.any(String),
      response_url: expect.stringMatching(/^https:\/\//),
      trigger_id: expect.any(String),
    });
    expect(JSON.parse(event!.body)).toMatchObject({
      type: 'event_callback',
      team_id: expect.any(String),
      api_app_id: expect.any(String),
      event_id: expect.stringMatching(/^Ev/),
      event_time: 1_700_000_000,
      event: { type: 'app_mention', text: '<@U0BOT> ping', channel: expect.any(String) },
    });
    for (const { headers, body } of seen) {
      expect(headers['x-slack-request-timestamp']).toBe('1700000000');
      expect(headers['x-slack-signature']).toBe(signSlackRequest(SECRET, '1700000000', body));
    }
  });

  it('keeps a path from the metadata on the canary’s host', async () => {
    const seen: string[] = [];
    const recorder = createServer((request, response) => {
      seen.push(`${request.headers.host}${request.url}`);
      response.end('pong');
    });
    const base = await listen(recorder);
    const probe = { ...greets('pong'), path: '//evil.example/steal' };
    probe.conversations[0]!.turns = probe.conversations[0]!.turns.slice(1);
    expect((await runProbe(probe, { baseUrl: base, rounds: 1 })).ok).toBe(true);
    expect(seen).toEqual([`${new URL(base).host}/evil.example/steal`]);
  });

  it('fails a turn the bot does not answer within the timeout', async () => {
    const silent = createServer(() => {});
    const run = await runProbe(greets('hello'), {
      baseUrl: await listen(silent),
      rounds: 1,
      timeoutMs: 100,
    });
    expect(run.failure).toMatchObject({
      turn: 1,
      reason: 'timed out',
      reply: 'no reply within 100 ms',
    });
  });

  it('fails a turn nothing listens for, with the connection error', async () => {
    const closed = createServer();
    const base = await listen(closed);
    servers.pop();
    await new Promise((resolve) => closed.close(resolve));
    const run = await runProbe(greets('hello'), { baseUrl: base, rounds: 1 });
    expect(run.failure).toMatchObject({
      reason: 'request failed',
      reply: 'no reply: ECONNREFUSED',
    });
  });

  it('checks a catastrophic pattern against a long reply in linear time, and fails it', async () => {
    // ^(a|a)+$ against a…ab backtracks 2^n times in JavaScript's engine, blocking the
    // shared prober for every team; RE2 answers at once.
    const reply = `${'a'.repeat(10_000)}b`;
    const bot = createServer((request, response) => response.end(reply));
    const probe: FunctionProbe = {
      path: '/',
      conversations: [
        {
          name: 'redos',
          turns: [{ request: { kind: 'webchat', message: 'hi' }, expect: { matches: '^(a|a)+$' } }],
        },
      ],
    };
    const run = await runProbe(probe, { baseUrl: await listen(bot), rounds: 1 });
    expect(run).toMatchObject({
      ok: false,
      requests: 1,
      failure: { conversation: 'redos', turn: 1, reason: 'does not match /^(a|a)+$/' },
    });
  });

  it('fails a reply larger than 64 KiB, reading no more of a bot that streams without end', async () => {
    let closed = false;
    const endless = createServer((request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = 'pong '.repeat(3277);
      const pump = () => {
        while (!response.destroyed && response.write(chunk));
        if (!response.destroyed) response.once('drain', pump);
      };
      response.on('close', () => (closed = true));
      pump();
    });
    const run = await runProbe(greets('pong'), { baseUrl: await listen(endless), rounds: 1 });
    expect(run.failure).toMatchObject({
      turn: 1,
      reason: 'reply larger than 64 KiB',
      reply: expect.stringMatching(/^200 pong pong /),
    });
    // The prober hung up rather than leave the bot streaming into it.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(closed).toBe(true);
  });
});
