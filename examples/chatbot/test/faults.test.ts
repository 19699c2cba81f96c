import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { configFromEnv, handle, type ChatbotConfig } from '../index.ts';

const bot = (...faults: NonNullable<ChatbotConfig['faults']>): ChatbotConfig => ({
  color: 'green',
  revision: 'v2',
  ...(faults.length > 0 && { faults }),
});

function webChat(config: ChatbotConfig, message: string) {
  const reply = handle(
    {
      method: 'POST',
      path: '/',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ message, user: 'ana' }),
      now: 0,
    },
    config,
  );
  return {
    status: reply.status,
    body: JSON.parse(reply.body) as Record<string, unknown>,
    delayMs: reply.delayMs,
  };
}

function slashCommand(config: ChatbotConfig, text: string) {
  const body = new URLSearchParams({ command: '/chatbot', text, user_name: 'ana' }).toString();
  return handle(
    {
      method: 'POST',
      path: '/',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
      now: 0,
    },
    config,
  );
}

describe('the demo faults a bad revision switches on with DEMO_FAULT', () => {
  it('wrong-reply answers a greeting with a goodbye, everything else as usual', () => {
    expect(webChat(bot('wrong-reply'), 'hello').body.reply).toBe(
      '🟢 green (v2) says: goodbye @ana!',
    );
    expect(webChat(bot(), 'hello').body.reply).toBe('🟢 green (v2) says: hello @ana!');
    expect(webChat(bot('wrong-reply'), 'ping').body.reply).toBe('🟢 green (v2) says: pong');
    expect(JSON.parse(slashCommand(bot('wrong-reply'), 'hi there').body).text).toBe(
      '🟢 green (v2) says: goodbye @ana!',
    );
  });

  it('fail-questions answers 500 to a message ending with "?", and 200 to the others', () => {
    expect(webChat(bot('fail-questions'), 'what colour are you?')).toMatchObject({
      status: 500,
      body: { error: 'internal error' },
    });
    expect(slashCommand(bot('fail-questions'), 'version?').status).toBe(500);
    expect(webChat(bot('fail-questions'), 'ping').status).toBe(200);
    expect(webChat(bot(), 'what colour are you?').status).toBe(200);
  });

  it('slow-replies delays every reply 150 ms, and 700 ms for a message over 20 characters', () => {
    expect(webChat(bot('slow-replies'), 'ping').delayMs).toBe(150);
    expect(webChat(bot('slow-replies'), 'are you the new version').delayMs).toBe(700);
    expect(webChat(bot(), 'are you the new version').delayMs).toBeUndefined();
    // A failing handler fails at once.
    expect(webChat(bot('slow-replies', 'fail-questions'), 'ping?').delayMs).toBeUndefined();
  });

  it('is read from DEMO_FAULT, several joined by commas; unset or empty is no fault', () => {
    expect(
      configFromEnv({ DEMO_FAULT: 'fail-questions, slow-replies' }, '/nonexistent').faults,
    ).toEqual(['fail-questions', 'slow-replies']);
    expect(configFromEnv({ DEMO_FAULT: '' }, '/nonexistent')).not.toHaveProperty('faults');
    expect(configFromEnv({}, '/nonexistent')).not.toHaveProperty('faults');
  });

  it('refuses an unknown DEMO_FAULT, naming the variable and the faults it knows', () => {
    expect(() => configFromEnv({ DEMO_FAULT: 'wrong-reply,slow' }, '/nonexistent')).toThrow(
      'DEMO_FAULT="wrong-reply,slow": "slow" is not a demo fault; use wrong-reply, fail-questions, slow-replies (comma-separated), or unset it',
    );
  });

  it('stops the server at start, exit 2, on an unknown DEMO_FAULT', () => {
    const server = fileURLToPath(new URL('../chatbot/server.ts', import.meta.url));
    const run = spawnSync(process.execPath, [server], {
      env: { PATH: process.env.PATH, DEMO_FAULT: 'wrong-replies', PORT: '0' },
      encoding: 'utf8',
      timeout: 10_000,
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('"wrong-replies" is not a demo fault');
  });
});
