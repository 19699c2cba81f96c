import { describe, expect, it } from '@jest/globals';
import {
  formatProbeFailure,
  parseProbeEvent,
  parseProbeFailure,
  probeProblemEvent,
  probeRunEvent,
  type ProbeFailure,
} from '../src/index.ts';

// The prober writes its runs as Events and its failures as one line; the action, the CLI and
// the portal read them back through the same parser, so whatever runProbe reports must come
// back field for field, however its request, reply or reason is worded.

const base: ProbeFailure = {
  conversation: 'greets',
  turn: 2,
  request: 'POST http://chatbot-canary.openfaas-fn:8080/ webchat {"message":"hello"}',
  reply: '200 {"reply":"🟢 green says: hello"}',
  reason: 'does not contain "says: goodbye"',
};

const tricky: [what: string, failure: ProbeFailure][] = [
  ['the example: `says: ` in the reply and in the expectation', base],
  [
    'a reply that ends like a reason',
    { ...base, reply: '200 hi: does not contain "x', reason: 'does not contain "x"' },
  ],
  [
    'a request holding the separators',
    { ...base, request: 'webchat {"message":"a; reply b: c"}"; reply "' },
  ],
  ['a conversation name with quotes', { ...base, conversation: 'says "hi" turn 3: sent x' }],
  [
    'newlines and backslashes everywhere',
    {
      ...base,
      conversation: 'two\nlines',
      request: 'webchat {"message":"a\\nb"}\r\n',
      reply: '200 line one\nline two \\" end',
      reason: 'does not match /a\nb/',
    },
  ],
  ['an empty reply', { ...base, reply: '', reason: 'status 204, expected 200' }],
  ['no reply at all', { ...base, reply: 'no reply: ECONNREFUSED', reason: 'request failed' }],
  ['a reason holding `: ` and `; `', { ...base, reason: 'does not match /a: b; c/' }],
];

describe('a probe failure line', () => {
  it.each(tricky)('reads back exactly what was written: %s', (_what, failure) => {
    expect(parseProbeFailure(formatProbeFailure(failure))).toEqual(failure);
  });

  it.each(tricky.filter(([, f]) => !f.reason.includes('\n')))(
    'is one line when the reason is: %s',
    (_what, failure) => {
      expect(formatProbeFailure(failure)).not.toMatch(/[\r\n]/);
    },
  );

  it('is read as what a person sees: the reason at the end, as written', () => {
    expect(formatProbeFailure(base)).toBe(
      'conversation "greets" turn 2: sent "POST http://chatbot-canary.openfaas-fn:8080/ webchat {\\"message\\":\\"hello\\"}"; reply "200 {\\"reply\\":\\"🟢 green says: hello\\"}": does not contain "says: goodbye"',
    );
  });

  it.each([
    ['a sentence', 'canary Service unreachable'],
    ['unquoted parts', 'conversation "greets" turn 1: sent webchat hi; reply 200 Bye: nope'],
    ['an unknown escape', 'conversation "a\\q" turn 1: sent "x"; reply "y": z'],
  ])('is not taken from %s', (_what, text) => {
    expect(parseProbeFailure(text)).toBeUndefined();
  });
});

describe("the prober's Events", () => {
  it.each(tricky)('a failed run reads back with its failure: %s', (_what, failure) => {
    const event = probeRunEvent('rollout', 'c0ffee1', {
      ok: false,
      requests: 3,
      durationMs: 12,
      failure,
    });
    expect(event).toMatchObject({ type: 'Warning', reason: 'ProbeFailed' });
    expect(parseProbeEvent(event)).toEqual({
      outcome: 'failed',
      webhook: 'rollout',
      revision: 'c0ffee1',
      failure,
      detail: formatProbeFailure(failure),
    });
  });

  it('a passed run reads back with its requests and time', () => {
    const event = probeRunEvent('pre-rollout', 'c0ffee1', {
      ok: true,
      requests: 5,
      durationMs: 41.6,
    });
    expect(event).toEqual({
      type: 'Normal',
      reason: 'ProbePassed',
      message: 'pre-rollout probe of revision c0ffee1: 5 requests in 42 ms',
    });
    expect(parseProbeEvent(event)).toEqual({
      outcome: 'passed',
      webhook: 'pre-rollout',
      revision: 'c0ffee1',
      requests: 5,
      durationMs: 42,
    });
  });

  it('a run that could not start keeps its sentence and has no turn', () => {
    const event = probeProblemEvent('rollout', 'c0ffee1', 'may not read Secret chatbot-slack');
    expect(parseProbeEvent(event)).toEqual({
      outcome: 'failed',
      webhook: 'rollout',
      revision: 'c0ffee1',
      detail: 'may not read Secret chatbot-slack',
    });
  });

  it.each([
    [
      'another reason',
      { reason: 'Synced', message: 'rollout probe of revision c: 1 requests in 2 ms' },
    ],
    ['a ProbePassed in another shape', { reason: 'ProbePassed', message: 'probe ok' }],
    [
      'a ProbeFailed without a revision',
      { reason: 'ProbeFailed', message: 'rollout probe failed: x' },
    ],
    [
      'an unknown webhook',
      { reason: 'ProbePassed', message: 'post-rollout probe of revision c: 1 requests in 2 ms' },
    ],
    ['no message', { reason: 'ProbeFailed' }],
  ])('are not read from %s', (_what, event) => {
    expect(parseProbeEvent(event)).toBeUndefined();
  });
});
