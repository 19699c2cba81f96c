import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  checkProbesAgainstStack,
  loadProbeFile,
  parseProbeFile,
  UserError,
  type ProbeFile,
} from '../src/index.ts';

// A good probes file read into what the renderer and the prober use.

const fixture = fileURLToPath(new URL('./fixtures/probes/probes.yml', import.meta.url));
const FILE = readFileSync(fixture, 'utf8');

describe('parseProbeFile', () => {
  it('reads each turn as the request its bot receives and what the reply must say', () => {
    const expected: ProbeFile = {
      file: 'probes.yml',
      lines: { chatbot: 4, 'faq-bot': 21 },
      functions: {
        chatbot: {
          path: '/',
          signingSecret: { secret: 'chatbot-slack', key: 'signing-secret' },
          conversations: [
            {
              name: 'greets',
              turns: [
                { request: { kind: 'webchat', message: 'hello' }, expect: { contains: 'hello' } },
                {
                  request: { kind: 'webchat', message: 'ping', user: 'probe' },
                  expect: { status: 200, matches: 'says: pong$' },
                },
              ],
            },
            {
              name: 'asks in slack',
              turns: [
                {
                  request: { kind: 'slack-command', command: '/ask', text: 'what colour are you?' },
                  expect: { contains: 'you said' },
                },
                {
                  request: { kind: 'slack-command', command: '/ask', text: '', userName: 'ana' },
                  expect: { contains: 'hi @ana' },
                },
                {
                  request: {
                    kind: 'slack-event',
                    event: {
                      type: 'app_mention',
                      text: '<@U0BOT> ping',
                      user: 'U0PROBE',
                      channel: 'C1',
                    },
                  },
                  expect: { contains: 'pong' },
                },
              ],
            },
          ],
        },
        'faq-bot': {
          path: '/api/chat',
          conversations: [
            {
              name: 'answers',
              turns: [{ request: { kind: 'webchat', message: '42' }, expect: { contains: '42' } }],
            },
          ],
        },
      },
    };
    expect(parseProbeFile(FILE, 'probes.yml')).toEqual(expected);
  });

  it('lets turns be shared with YAML anchors and merge keys', () => {
    const text = `version: 1
functions:
  chatbot:
    conversations:
      - name: first
        turns:
          - &ping { webchat: ping, expect: { contains: pong } }
      - name: second
        turns:
          - *ping
          - <<: *ping
            expect: { matches: pong$ }
`;
    const turns = parseProbeFile(text, 'probes.yml').functions.chatbot!.conversations.map(
      (c) => c.turns,
    );
    const ping = { kind: 'webchat', message: 'ping' };
    expect(turns).toEqual([
      [{ request: ping, expect: { contains: 'pong' } }],
      [
        { request: ping, expect: { contains: 'pong' } },
        { request: ping, expect: { matches: 'pong$' } },
      ],
    ]);
  });
});

describe('loadProbeFile', () => {
  let dir: string;
  beforeAll(async () => (dir = await mkdtemp(join(tmpdir(), 'probes-'))));
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('reads and parses the file, naming it in the result', async () => {
    const path = join(dir, 'probes.yml');
    await writeFile(path, FILE);
    const file = await loadProbeFile(path);
    expect(file?.file).toBe(path);
    expect(Object.keys(file!.functions)).toEqual(['chatbot', 'faq-bot']);
  });

  it('is undefined when there is no file: probes are optional', async () => {
    await expect(loadProbeFile(join(dir, 'absent.yml'))).resolves.toBeUndefined();
  });

  it('refuses a folder, naming it', async () => {
    await expect(loadProbeFile(dir)).rejects.toThrow(
      new UserError('cannot read the probes file (EISDIR)', {
        file: dir,
        hint: 'Give the path of the probes file, not of its folder',
      }),
    );
  });

  it('reports a broken file with its path and line', async () => {
    const path = join(dir, 'broken.yml');
    await writeFile(path, 'version: 1\nfunctions:\n');
    await expect(loadProbeFile(path)).rejects.toMatchObject({
      file: path,
      line: 2,
      field: 'functions',
    });
  });
});

describe('checkProbesAgainstStack', () => {
  const file = parseProbeFile(FILE, 'probes.yml');

  it('accepts probes of the stack’s functions (not every function needs one)', () => {
    expect(() => checkProbesAgainstStack(file, ['chatbot', 'faq-bot', 'other'])).not.toThrow();
  });

  it('refuses a function the stack does not have, suggesting a near name', () => {
    expect(() => checkProbesAgainstStack(file, ['chatbot', 'faq-bots'])).toThrow(
      new UserError('function "faq-bot" is not in the stack file', {
        file: 'probes.yml',
        line: 21,
        field: 'functions.faq-bot',
        hint: 'Did you mean "faq-bots"?',
      }),
    );
  });

  it('names the stack’s functions when nothing is close', () => {
    expect(() => checkProbesAgainstStack(file, ['chatbot', 'billing'])).toThrow(
      'probes.yml:21 functions.faq-bot: function "faq-bot" is not in the stack file. Name one of the stack\'s functions (chatbot, billing), or remove the entry',
    );
  });
});
