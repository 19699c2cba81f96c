import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GreenlightClient } from '../src/api/GreenlightClient.ts';

// The backend's answers, as a real HTTP server on 127.0.0.1.
const seen: { method: string; url: string; body: string; auth?: string }[] = [];
const server = createServer((req, res) => {
  let body = '';
  req.on('data', (chunk) => (body += chunk));
  req.on('end', () => {
    seen.push({
      method: req.method ?? '',
      url: req.url ?? '',
      body,
      auth: req.headers.authorization,
    });
    if (req.url?.includes('/missing')) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          error: { name: 'NotFoundError', message: 'there is no Canary ns/missing' },
          response: { statusCode: 404 },
        }),
      );
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ok: true }));
  });
});
let client: GreenlightClient;

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/greenlight`;
  client = new GreenlightClient({
    discoveryApi: { getBaseUrl: async (plugin) => base.replace('greenlight', plugin) },
    fetchApi: {
      fetch: (input, init) =>
        fetch(input, {
          ...init,
          headers: { ...init?.headers, authorization: 'Bearer user-token' },
        }),
    },
  });
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('GreenlightClient', () => {
  test("calls the backend's routes with the user's token, cluster, entity and window", async () => {
    const ref = {
      namespace: 'openfaas-fn',
      name: 'chatbot',
      cluster: 'prod',
      entityRef: 'component:default/chatbot',
    };
    await client.fleet({ window: '1h' });
    await client.rollout(ref);
    await client.metrics(ref, { window: '15m' });
    await client.approve(ref, 'c0ffee1');
    expect(seen.map(({ method, url }) => `${method} ${url}`)).toEqual([
      'GET /api/greenlight/rollouts?window=1h',
      'GET /api/greenlight/rollouts/openfaas-fn/chatbot?cluster=prod&entityRef=component%3Adefault%2Fchatbot',
      'GET /api/greenlight/rollouts/openfaas-fn/chatbot/metrics?cluster=prod&entityRef=component%3Adefault%2Fchatbot&window=15m',
      'POST /api/greenlight/rollouts/openfaas-fn/chatbot/approve?cluster=prod',
    ]);
    expect(JSON.parse(seen[3]!.body)).toEqual({
      revision: 'c0ffee1',
      entityRef: 'component:default/chatbot',
    });
    expect(seen.every(({ auth }) => auth === 'Bearer user-token')).toBe(true);
  });

  test("turns an error answer into an error carrying the backend's name, message and status", async () => {
    const error = await client
      .rollout({ namespace: 'ns', name: 'missing' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      response: { status: 404 },
      body: { error: { name: 'NotFoundError', message: 'there is no Canary ns/missing' } },
    });
  });
});
