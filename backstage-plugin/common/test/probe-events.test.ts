import { describe, expect, test } from '@jest/globals';
import { formatProbeFailure, type ProbeFailure } from '@greenlight/core';
import { lastProbeRuns, probeRunOf } from '../src/index.ts';
import type { ProbeEvent } from '../src/index.ts';

// The prober's Events as the contract of issue 15 words them, read back as probe runs.

const event = (reason: string, message: string, at = '2026-12-06T10:00:00Z'): ProbeEvent => ({
  reason,
  message,
  at,
  count: 1,
});

describe('probeRunOf', () => {
  test('reads a passed run: webhook, revision, requests and time', () => {
    expect(
      probeRunOf(event('ProbePassed', 'rollout probe of revision c0ffee1: 15 requests in 842 ms')),
    ).toEqual({
      outcome: 'passed',
      webhook: 'rollout',
      revision: 'c0ffee1',
      requests: 15,
      durationMs: 842,
      at: '2026-12-06T10:00:00Z',
      count: 1,
    });
  });

  test('reads a failed run: the conversation, the turn, the request and the reply that was wrong', () => {
    const run = probeRunOf(
      event(
        'ProbeFailed',
        'pre-rollout probe of revision c0ffee1 failed: conversation "asks in slack" turn 2: sent "slack-event app_mention \\"<@U0BOT> ping\\""; reply "200 {\\"text\\": \\"pang\\"}": does not contain "pong"',
      ),
    );
    expect(run).toEqual({
      outcome: 'failed',
      webhook: 'pre-rollout',
      revision: 'c0ffee1',
      failure: {
        conversation: 'asks in slack',
        turn: 2,
        request: 'slack-event app_mention "<@U0BOT> ping"',
        reply: '200 {"text": "pang"}',
        reason: 'does not contain "pong"',
      },
      detail:
        'conversation "asks in slack" turn 2: sent "slack-event app_mention \\"<@U0BOT> ping\\""; reply "200 {\\"text\\": \\"pang\\"}": does not contain "pong"',
      at: '2026-12-06T10:00:00Z',
      count: 1,
    });
  });

  // What core's runProbe reports, worded by core's own formatProbeFailure, reads back whole.
  const failures: [what: string, failure: ProbeFailure][] = [
    [
      'a wrong reply with `: ` in its JSON body and in the text expected',
      {
        conversation: 'greets',
        turn: 1,
        request: 'POST http://chatbot-canary.openfaas-fn:8080/ {"message":"hello"}',
        reply: '200 {"reply": "Hello: how can I help?"}',
        reason: 'does not contain "Hi: there"',
      },
    ],
    [
      'a wrong status',
      {
        conversation: 'asks in slack',
        turn: 3,
        request: 'POST http://chatbot-canary.openfaas-fn:8080/ command=/ask&text=colour',
        reply: '500 Internal Server Error',
        reason: 'status 500, expected 200',
      },
    ],
    [
      'no reply at all',
      {
        conversation: 'greets',
        turn: 2,
        request: 'POST http://chatbot-canary.openfaas-fn:8080/ {"message":"hi"}',
        reply: 'no reply: ECONNREFUSED',
        reason: 'request failed',
      },
    ],
    [
      'a reply that does not match',
      {
        conversation: 'colours',
        turn: 1,
        request: 'POST http://chatbot-canary.openfaas-fn:8080/ {"message":"colour?"}',
        reply: '200 {"reply":"red"}',
        reason: 'does not match /blue|green: ok/',
      },
    ],
  ];
  test.each(failures)("reads back core's failure line: %s", (_what, failure) => {
    const message = `rollout probe of revision c0ffee1 failed: ${formatProbeFailure(failure)}`;
    expect(probeRunOf(event('ProbeFailed', message))).toMatchObject({ failure });
  });

  test('keeps a failure it cannot split into turn, request and reply as the prober wrote it', () => {
    expect(
      probeRunOf(
        event(
          'ProbeFailed',
          'rollout probe of revision c0ffee1 failed: canary Service unreachable',
        ),
      ),
    ).toMatchObject({
      outcome: 'failed',
      revision: 'c0ffee1',
      detail: 'canary Service unreachable',
    });
    expect(
      probeRunOf(
        event(
          'ProbeFailed',
          'rollout probe of revision c0ffee1 failed: canary Service unreachable',
        ),
      ),
    ).not.toHaveProperty('failure');
  });

  test.each([
    ['another reason', event('Synced', 'rollout probe of revision c0ffee1: 15 requests in 842 ms')],
    ['a ProbePassed in another shape', event('ProbePassed', 'probe ok')],
    ['a ProbeFailed without a revision', event('ProbeFailed', 'rollout probe failed: timeout')],
    [
      'an unknown webhook',
      event('ProbePassed', 'post-rollout probe of revision c: 1 requests in 2 ms'),
    ],
  ])('is not a probe run: %s', (_what, given) => {
    expect(probeRunOf(given)).toBeUndefined();
  });
});

describe('lastProbeRuns', () => {
  test('keeps per revision its newest run, of either webhook, newest revision first', () => {
    const history = [
      event('Synced', 'Advance chatbot.openfaas-fn canary weight 20', '2026-12-06T10:09:00Z'),
      event(
        'ProbeFailed',
        'rollout probe of revision c0ffee2 failed: conversation "greets" turn 1: sent webchat "hello"; reply 500 oops: status 500, expected 200',
        '2026-12-06T10:08:00Z',
      ),
      event(
        'ProbePassed',
        'pre-rollout probe of revision c0ffee2: 3 requests in 120 ms',
        '2026-12-06T10:07:00Z',
      ),
      event(
        'ProbePassed',
        'rollout probe of revision c0ffee1: 15 requests in 842 ms',
        '2026-12-06T09:00:00Z',
      ),
      event(
        'ProbeFailed',
        'rollout probe of revision c0ffee1 failed: conversation "greets" turn 1: sent webchat "hello"; reply 200 Bye: does not contain "Hello"',
        '2026-12-06T08:00:00Z',
      ),
    ];
    expect(lastProbeRuns(history).map((run) => [run.revision, run.webhook, run.outcome])).toEqual([
      ['c0ffee2', 'rollout', 'failed'],
      ['c0ffee1', 'rollout', 'passed'],
    ]);
  });

  test('is empty when the prober recorded nothing', () => {
    expect(lastProbeRuns([event('Synced', 'Initialization done! chatbot.openfaas-fn')])).toEqual(
      [],
    );
  });
});
