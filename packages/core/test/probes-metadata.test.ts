import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import {
  MAX_PROBE_METADATA_LENGTH,
  MAX_PROBE_ROUNDS,
  OptionError,
  parseProbeFile,
  PROBE_METADATA,
  probeFromMetadata,
  probeMetadata,
  UserError,
  type FunctionProbe,
} from '../src/index.ts';

// Flagger's webhook metadata is map[string]string: the probe travels as JSON in one value and
// comes back to the prober, from whoever POSTs it, checked like probes.yml itself.

const fixture = fileURLToPath(new URL('./fixtures/probes/probes.yml', import.meta.url));
const file = parseProbeFile(readFileSync(fixture, 'utf8'), 'probes.yml');
const probe = file.functions.chatbot!;

const metadataWith = (value: unknown, rounds: unknown = '1') => ({
  probe: typeof value === 'string' ? value : JSON.stringify(value),
  rounds,
});
const stored = JSON.parse(probeMetadata(probe, 1).probe!) as Record<string, unknown>;

describe('probeMetadata', () => {
  it('is Flagger metadata (strings only): the probe as JSON, the rounds and the request timeout in decimal', () => {
    const metadata = probeMetadata(probe, 5, 2500);
    expect(Object.keys(metadata)).toEqual([
      PROBE_METADATA.probe,
      PROBE_METADATA.rounds,
      PROBE_METADATA.requestTimeout,
    ]);
    expect(Object.values(metadata).every((v) => typeof v === 'string')).toBe(true);
    expect(metadata.rounds).toBe('5');
    expect(metadata.requestTimeout).toBe('2500');
  });

  it('carries the probe in probes.yml’s own spelling, naming the Secret and never a value', () => {
    expect(stored).toEqual({
      path: '/',
      signingSecret: { secret: 'chatbot-slack', key: 'signing-secret' },
      conversations: [
        {
          name: 'greets',
          turns: [
            { webchat: { message: 'hello' }, expect: { contains: 'hello' } },
            {
              webchat: { message: 'ping', user: 'probe' },
              expect: { status: 200, matches: 'says: pong$' },
            },
          ],
        },
        {
          name: 'asks in slack',
          turns: [
            {
              slackCommand: { command: '/ask', text: 'what colour are you?' },
              expect: { contains: 'you said' },
            },
            {
              slackCommand: { command: '/ask', text: '', userName: 'ana' },
              expect: { contains: 'hi @ana' },
            },
            {
              slackEvent: {
                type: 'app_mention',
                text: '<@U0BOT> ping',
                user: 'U0PROBE',
                channel: 'C1',
              },
              expect: { contains: 'pong' },
            },
          ],
        },
      ],
    });
  });

  it.each([0, -1, 1.5, MAX_PROBE_ROUNDS + 1, NaN])('refuses %p rounds as probeRounds', (rounds) => {
    let error: unknown;
    try {
      probeMetadata(probe, rounds);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(OptionError);
    expect((error as OptionError).option).toBe('probeRounds');
    expect((error as OptionError).message).toBe(
      `probeRounds: must be a whole number from 1 to ${MAX_PROBE_ROUNDS}, not ${rounds}. Set it to the conversations sent per analysis interval, e.g. probeRounds: 5`,
    );
  });
});

describe('probeFromMetadata', () => {
  it.each([1, 5, 40])('reads back what probeMetadata wrote (%p rounds)', (rounds) => {
    for (const probe of Object.values(file.functions)) {
      expect(probeFromMetadata(probeMetadata(probe, rounds, 2500))).toEqual({
        probe,
        rounds,
        requestTimeoutMs: 2500,
      });
    }
  });

  it('reads a Canary rendered before the request timeout was written: the prober keeps its own', () => {
    const { probe: json, rounds } = probeMetadata(probe, 2);
    expect(probeFromMetadata({ probe: json, rounds })).toEqual({ probe, rounds: 2 });
  });

  it.each(['0', '60001', '5s', ' 5000', ''])(
    'refuses a request timeout of %p, naming it',
    (value) => {
      expect(() =>
        probeFromMetadata({ ...probeMetadata(probe, 1), requestTimeout: value }),
      ).toThrow(expect.objectContaining({ field: 'metadata.requestTimeout' }));
    },
  );

  it('reads back a probe with only the defaults', () => {
    const minimal: FunctionProbe = {
      path: '/',
      conversations: [
        {
          name: 'a',
          turns: [{ request: { kind: 'webchat', message: '' }, expect: { matches: '.' } }],
        },
      ],
    };
    expect(probeFromMetadata(probeMetadata(minimal, 1)).probe).toEqual(minimal);
  });

  it('drops a Slack event’s "__proto__" field rather than make it a prototype', () => {
    const text = JSON.stringify(stored).replace(
      '{"type":"app_mention",',
      '{"type":"app_mention","__proto__":{"polluted":true},',
    );
    expect(text).toContain('"__proto__"');
    const read = probeFromMetadata(metadataWith(text));
    const request = read.probe.conversations[1]!.turns[2]!.request;
    expect(request).toEqual({
      kind: 'slack-event',
      event: { type: 'app_mention', text: '<@U0BOT> ping', user: 'U0PROBE', channel: 'C1' },
    });
    expect(request.kind === 'slack-event' && Object.getPrototypeOf(request.event)).toBe(
      Object.prototype,
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  const bad: { name: string; metadata: unknown; field: string; message: string }[] = [
    {
      name: 'no metadata',
      metadata: undefined,
      field: 'metadata',
      message: 'the webhook has no metadata',
    },
    {
      name: 'metadata that is a list',
      metadata: ['probe'],
      field: 'metadata',
      message: 'the webhook has no metadata',
    },
    {
      name: 'no probe',
      metadata: { rounds: '1' },
      field: 'metadata.probe',
      message: 'metadata.probe is missing',
    },
    {
      name: 'a probe that is not a string (Flagger sends strings)',
      metadata: { probe: stored, rounds: '1' },
      field: 'metadata.probe',
      message: 'metadata.probe is not a string',
    },
    {
      name: 'a probe that is not JSON',
      metadata: metadataWith('{"path": "/"'),
      field: 'metadata.probe',
      message: expect.stringMatching(/^metadata\.probe is not JSON: /) as unknown as string,
    },
    {
      name: 'a probe that is too long',
      metadata: metadataWith(`${' '.repeat(MAX_PROBE_METADATA_LENGTH)}{}`),
      field: 'metadata.probe',
      message: `metadata.probe is ${MAX_PROBE_METADATA_LENGTH + 2} characters, more than the ${MAX_PROBE_METADATA_LENGTH} a probe may have`,
    },
    {
      name: 'a probe that is a JSON string',
      metadata: metadataWith(JSON.stringify('hello')),
      field: 'metadata.probe',
      message: 'metadata.probe must be a JSON object, not the string "hello"',
    },
    {
      name: 'a probe without conversations',
      metadata: metadataWith({ path: '/' }),
      field: 'metadata.probe.conversations',
      message: 'conversations is missing',
    },
    {
      name: 'an unknown key',
      metadata: metadataWith({
        ...stored,
        conversations: [{ name: 'a', turns: [{ webchat: 'hi', expect: { contain: 'hi' } }] }],
      }),
      field: 'metadata.probe.conversations[0].turns[0].expect.contain',
      message: 'unknown key "contain"',
    },
    {
      name: 'a regular expression that does not compile',
      metadata: metadataWith({
        ...stored,
        conversations: [{ name: 'a', turns: [{ webchat: 'hi', expect: { matches: '[a' } }] }],
      }),
      field: 'metadata.probe.conversations[0].turns[0].expect.matches',
      message: 'matches is not a regular expression: missing closing ]: `[a`',
    },
    {
      name: 'a regular expression with a backreference, which RE2 does not run',
      metadata: metadataWith({
        ...stored,
        conversations: [{ name: 'a', turns: [{ webchat: 'hi', expect: { matches: '(a)\\1' } }] }],
      }),
      field: 'metadata.probe.conversations[0].turns[0].expect.matches',
      message: 'matches is not a regular expression: invalid escape sequence: `\\1`',
    },
    {
      name: 'a Slack turn and no signingSecret',
      metadata: metadataWith({
        path: '/',
        conversations: [
          { name: 'a', turns: [{ slackEvent: { type: 'message' }, expect: { contains: 'x' } }] },
        ],
      }),
      field: 'metadata.probe.conversations[0].turns[0].slackEvent',
      message:
        'the probe has a slackEvent turn, signed as Slack signs it, but no signingSecret to sign it with',
    },
    {
      name: 'no rounds',
      metadata: { probe: JSON.stringify(stored) },
      field: 'metadata.rounds',
      message: `metadata.rounds must be a whole number from 1 to ${MAX_PROBE_ROUNDS} in a string, not missing`,
    },
    ...['0', '-1', '1.5', '1e2', ' 1', String(MAX_PROBE_ROUNDS + 1), '99999999999'].map(
      (rounds) => ({
        name: `rounds "${rounds}"`,
        metadata: metadataWith(stored, rounds),
        field: 'metadata.rounds',
        message: `metadata.rounds must be a whole number from 1 to ${MAX_PROBE_ROUNDS} in a string, not "${rounds}"`,
      }),
    ),
    {
      name: 'rounds as a number (Flagger sends strings)',
      metadata: metadataWith(stored, 5),
      field: 'metadata.rounds',
      message: `metadata.rounds must be a whole number from 1 to ${MAX_PROBE_ROUNDS} in a string, not 5`,
    },
  ];

  it.each(bad)('refuses $name, naming $field', ({ metadata, field, message }) => {
    let error: unknown;
    try {
      probeFromMetadata(metadata);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UserError);
    expect(error).toMatchObject({ field, reason: message, hint: expect.any(String) });
  });
});
