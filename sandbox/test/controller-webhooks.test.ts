import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, test } from '@jest/globals';
import type { Canary, CanaryWebhook } from 'flagger-types';
import { canaryChecksum } from '@greenlight/core';
import { callWebhook } from '../src/controller/webhooks.ts';

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

/** A webhook receiver answering with `answers` in turn; returns its URL and the bodies it got. */
async function receiver(answers: { status: number; body?: string; delayMs?: number }[]) {
  const bodies: unknown[] = [];
  let call = 0;
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      const answer = answers[Math.min(call++, answers.length - 1)] ?? { status: 200 };
      setTimeout(() => {
        response.writeHead(answer.status);
        response.end(answer.body ?? '');
      }, answer.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/gate`, bodies };
}

const CANARY: Canary = {
  apiVersion: 'flagger.app/v1beta1',
  kind: 'Canary',
  metadata: { name: 'chatbot', namespace: 'openfaas-fn' },
  spec: {
    targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'chatbot' },
    service: { port: 8080 },
    analysis: { interval: '10s', threshold: 5, stepWeight: 10 },
  },
  status: { lastAppliedSpec: 'abc' },
};

const hook = (url: string, extra: Partial<CanaryWebhook> = {}): CanaryWebhook => ({
  name: 'greenlight-approval',
  type: 'confirm-promotion',
  url,
  ...extra,
});

test("posts Flagger's payload and passes on 200 to 202", async () => {
  const { url, bodies } = await receiver([{ status: 202 }]);
  await callWebhook(CANARY, 'Progressing', hook(url, { metadata: { team: 'bots' } }));
  expect(bodies[0]).toEqual({
    name: 'chatbot',
    namespace: 'openfaas-fn',
    phase: 'Progressing',
    checksum: canaryChecksum(CANARY.status),
    metadata: { team: 'bots' },
  });
});

test('fails on any other status with the answer as the reason, 203 included', async () => {
  const { url } = await receiver([
    { status: 403, body: 'not approved' },
    { status: 203, body: 'odd' },
  ]);
  await expect(callWebhook(CANARY, 'Progressing', hook(url))).rejects.toThrow('not approved');
  await expect(callWebhook(CANARY, 'Progressing', hook(url))).rejects.toThrow('odd');
});

test('fails when the webhook does not answer within its timeout', async () => {
  const { url } = await receiver([{ status: 200, delayMs: 2000 }]);
  await expect(callWebhook(CANARY, 'Progressing', hook(url, { timeout: '1s' }))).rejects.toThrow(
    /context deadline exceeded/,
  );
});

test('retries a 5xx answer as many times as the webhook allows', async () => {
  const { url, bodies } = await receiver([{ status: 503 }, { status: 200 }]);
  await callWebhook(CANARY, 'Progressing', hook(url, { retries: 1 }));
  expect(bodies).toHaveLength(2);
});

test('fails when nothing listens', async () => {
  await expect(callWebhook(CANARY, 'Progressing', hook('http://127.0.0.1:1/gate'))).rejects.toThrow(
    /^POST http:\/\/127\.0\.0\.1:1\/gate giving up after 1 attempt\(s\): Post "http:\/\/127\.0\.0\.1:1\/gate": /,
  );
});

test('loses a 5xx answer’s body once the retries are spent, as Flagger’s client does; a 4xx keeps it', async () => {
  const { url } = await receiver([
    { status: 502, body: 'the failed turn' },
    { status: 503, body: 'again' },
    { status: 422, body: 'the failed turn' },
  ]);
  const lost = callWebhook(CANARY, 'Progressing', hook(url, { retries: 1 }));
  await expect(lost).rejects.toThrow(
    `POST ${url} giving up after 2 attempt(s): unexpected HTTP status 503 Service Unavailable`,
  );
  await expect(lost).rejects.not.toThrow('failed turn');
  await expect(callWebhook(CANARY, 'Progressing', hook(url))).rejects.toThrow('the failed turn');
});
