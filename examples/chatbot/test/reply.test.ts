import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { answer, configFromEnv, say } from '../index.ts';

describe('what the chatbot says', () => {
  it('shortens a full commit SHA to seven characters', () => {
    const sha = 'a'.repeat(7) + 'b'.repeat(33);
    expect(say({ color: 'blue', revision: sha }, 'pong')).toBe('🔵 blue (aaaaaaa) says: pong');
  });

  it('marks a colour it has no emoji for with a white circle', () => {
    expect(say({ color: 'teal', revision: 'v2' }, 'hi')).toBe('⚪ teal (v2) says: hi');
  });

  it('greets, pongs and echoes', () => {
    expect(answer('', 'ana')).toBe('hi @ana! Ask me anything, or try "ping" or "version".');
    expect(answer('Ping!')).toBe('pong');
    expect(answer('what is canary?')).toBe('you said "what is canary?"');
  });

  it('reads its colour, revision and signing secret from the environment', () => {
    expect(
      configFromEnv({ BOT_COLOR: 'green', BOT_REVISION: 'abc', SLACK_SIGNING_SECRET: 's' }),
    ).toEqual({
      color: 'green',
      revision: 'abc',
      signingSecret: 's',
    });
    expect(configFromEnv({}, '/nonexistent/secret')).toEqual({ color: 'blue', revision: 'dev' });
  });

  it('reads the signing secret from the OpenFaaS secret file when the variable is unset', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'chatbot-')), 'slack-signing-secret');
    writeFileSync(file, 'from-file\n');
    expect(configFromEnv({}, file).signingSecret).toBe('from-file');
  });
});
