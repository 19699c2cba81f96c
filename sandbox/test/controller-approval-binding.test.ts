// What an approval binds to, as the sandbox's Flagger presents it: the webhook checksum is
// Flagger's own canaryChecksum of the Canary's status (pkg/controller/webhook.go), and the
// Promoted condition keeps its lastTransitionTime from Progressing to Finalising, as
// MakeStatusConditions does (pkg/canary/status.go), so that time names one analysis run.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, test } from '@jest/globals';
import type { KubernetesObject, V1Deployment } from '@kubernetes/client-node';
import type { Canary, CanaryCondition, CanaryStatus, CanaryWebhook } from 'flagger-types';
import {
  canaryChecksum,
  REVISION_ANNOTATION,
  renderCanary,
  resolveCanaryOptions,
} from '@greenlight/core';
import { webhookPayload } from '../src/controller/webhooks.ts';
import { startSandbox, type Sandbox } from '../src/index.ts';

const NS = 'openfaas-fn';
// Printed by Go with Flagger v1.44's own ComputeHash (packages/core/test/fixtures/checksum).
const VECTORS = JSON.parse(
  readFileSync(
    new URL('../../packages/core/test/fixtures/checksum/vectors.json', import.meta.url),
    'utf8',
  ),
) as { status: CanaryStatus; checksum: string }[];

let sandbox: Sandbox | undefined;
let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
  await sandbox?.close();
  sandbox = undefined;
});

function canaryWith(status: CanaryStatus): Canary {
  return {
    apiVersion: 'flagger.app/v1beta1',
    kind: 'Canary',
    metadata: { name: 'chatbot', namespace: NS },
    spec: {
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'chatbot' },
      service: { port: 8080 },
      analysis: { interval: '10s', threshold: 5, stepWeight: 10 },
    },
    status,
  };
}

const hook: CanaryWebhook = { name: 'greenlight-approval', type: 'confirm-promotion', url: '' };

test("sends the checksum a real Flagger sends for the same status (Go's vectors)", () => {
  expect(VECTORS.length).toBeGreaterThan(3);
  for (const { status, checksum } of VECTORS) {
    expect(webhookPayload(canaryWith(status), 'WaitingPromotion', hook).checksum).toBe(checksum);
  }
});

function deployment(revision: string): V1Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'chatbot', namespace: NS },
    spec: {
      replicas: 1,
      selector: { matchLabels: { faas_function: 'chatbot' } },
      template: {
        metadata: {
          labels: { faas_function: 'chatbot' },
          annotations: { [REVISION_ANNOTATION]: revision },
        },
        spec: { containers: [{ name: 'chatbot', image: `bot:${revision}` }] },
      },
    },
  };
}

interface Seen {
  phase?: string;
  promoted?: CanaryCondition;
}

test("binds like Flagger: each payload's checksum is canaryChecksum of the Canary's status, and the Promoted condition keeps the analysis's start until it ends", async () => {
  // A gate stand-in: holds the promotion (403) until released, and records each payload
  // beside the Canary's status as the API had it when the call came.
  let release = false;
  const calls: { checksum: string; expected: string; path: string }[] = [];
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', async () => {
      const payload = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { checksum: string };
      const now = await readCanary();
      calls.push({
        checksum: payload.checksum,
        expected: canaryChecksum(now?.status),
        path: request.url ?? '',
      });
      const promotion = request.url === '/gate/promotion';
      response.writeHead(promotion && release ? 200 : 403);
      response.end(promotion && release ? 'approved' : 'not approved');
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const gateUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  sandbox = await startSandbox({ speed: 50 });
  const { kube } = sandbox;
  const readCanary = () =>
    kube.get<Canary>({
      apiVersion: 'flagger.app/v1beta1',
      kind: 'Canary',
      namespace: NS,
      name: 'chatbot',
    });
  const options = resolveCanaryOptions({
    interval: '10s',
    approval: true,
    gateUrl,
    prometheusAddress: sandbox.metricsUrl,
  });
  for (const object of renderCanary({ name: 'chatbot' }, options)) {
    await kube.apply(object as KubernetesObject);
  }
  await kube.apply(deployment('r1') as KubernetesObject);
  await until(readCanary, (c) => c?.status?.phase === 'Initialized');

  // Every status the analysis of r2 goes through, in order.
  const seen: Seen[] = [];
  const record = (canary: Canary | undefined) => {
    const promoted = canary?.status?.conditions?.find((c) => c.type === 'Promoted');
    const last = seen[seen.length - 1];
    if (last?.phase !== canary?.status?.phase || last?.promoted?.reason !== promoted?.reason) {
      seen.push({ phase: canary?.status?.phase, ...(promoted ? { promoted } : {}) });
    }
    return canary;
  };
  await kube.apply(deployment('r2') as KubernetesObject);
  await until(
    async () => record(await readCanary()),
    (c) => c?.status?.phase === 'WaitingPromotion',
  );
  // Held past a whole second, so a transition time rewritten meanwhile would show.
  await new Promise((resolve) => setTimeout(resolve, 1200));
  record(await readCanary());
  release = true;
  await until(
    async () => record(await readCanary()),
    (c) => c?.status?.phase === 'Succeeded',
  );

  expect(calls.filter((call) => call.path === '/gate/promotion').length).toBeGreaterThan(1);
  for (const call of calls) expect(call.checksum).toBe(call.expected);

  const analysing = seen.filter(({ phase }) =>
    ['Progressing', 'WaitingPromotion', 'Promoting', 'Finalising'].includes(phase ?? ''),
  );
  expect(analysing.map(({ phase }) => phase)).toEqual(
    expect.arrayContaining(['Progressing', 'WaitingPromotion']),
  );
  const started = analysing[0]?.promoted?.lastTransitionTime;
  expect(started).toBeDefined();
  for (const { promoted } of analysing) {
    expect(promoted).toMatchObject({ status: 'Unknown', lastTransitionTime: started });
  }
  const ended = seen[seen.length - 1]?.promoted;
  expect(ended).toMatchObject({ status: 'True', reason: 'Succeeded' });
  expect(Date.parse(ended?.lastTransitionTime ?? '')).toBeGreaterThan(Date.parse(started ?? ''));
}, 30_000);

async function until<T>(
  read: () => Promise<T>,
  ok: (value: T) => boolean,
  ms = 10_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`condition not met within ${ms} ms: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
