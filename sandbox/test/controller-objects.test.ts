import { afterEach, expect, test } from '@jest/globals';
import type {
  CoreV1Event,
  KubernetesObject,
  V1Deployment,
  V1Service,
} from '@kubernetes/client-node';
import type { Canary, TrafficSplit } from 'flagger-types';
import { REVISION_ANNOTATION, renderCanary, resolveCanaryOptions } from '@greenlight/core';
import { startSandbox, type Sandbox } from '../src/index.ts';

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

const NS = 'openfaas-fn';

/** The chatbot's Deployment; `fault` is its code's DEMO_FAULT (examples/chatbot/README.md). */
function deployment(revision: string, fault?: string, selector = 'faas_function'): V1Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'chatbot', namespace: NS },
    spec: {
      replicas: 1,
      selector: { matchLabels: { [selector]: 'chatbot' } },
      template: {
        metadata: {
          labels: { [selector]: 'chatbot' },
          annotations: { [REVISION_ANNOTATION]: revision },
        },
        spec: {
          containers: [
            {
              name: 'chatbot',
              image: `bot:${revision}`,
              ...(fault ? { env: [{ name: 'DEMO_FAULT', value: fault }] } : {}),
            },
          ],
        },
      },
    },
  };
}

async function install(options: Parameters<typeof resolveCanaryOptions>[0] = {}) {
  sandbox = await startSandbox({ speed: 50 });
  for (const object of renderCanary(
    { name: 'chatbot' },
    resolveCanaryOptions({ interval: '10s', prometheusAddress: sandbox.metricsUrl, ...options }),
  )) {
    await sandbox.kube.apply(object as KubernetesObject);
  }
  return sandbox;
}

const get = <T extends KubernetesObject>(apiVersion: string, kind: string, name: string) =>
  (sandbox as Sandbox).kube.get<T>({ apiVersion, kind, namespace: NS, name });

async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, ms = 8000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`condition not met within ${ms} ms: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function flaggerEvents(): Promise<string[]> {
  const events = await (sandbox as Sandbox).kube.list<CoreV1Event>(
    { apiVersion: 'v1', kind: 'Event' },
    NS,
  );
  return events
    .filter((event) => event.source?.component === 'flagger')
    .sort((a, b) => Number(a.metadata?.resourceVersion) - Number(b.metadata?.resourceVersion))
    .map((event) => event.message ?? '');
}

const canary = () => get<Canary>('flagger.app/v1beta1', 'Canary', 'chatbot');

test('initializes a Canary as Flagger does: primary, Services, TrafficSplit, status and condition', async () => {
  const { kube } = await install({ provider: 'linkerd' });
  await kube.apply(deployment('r1') as KubernetesObject);
  const initialized = await until(canary, (c) => c?.status?.phase === 'Initialized');

  expect(initialized?.status).toMatchObject({
    canaryWeight: 0,
    failedChecks: 0,
    iterations: 0,
    conditions: [
      {
        type: 'Promoted',
        status: 'True',
        reason: 'Initialized',
        message: 'Deployment initialization completed.',
      },
    ],
  });
  expect(initialized?.status?.lastAppliedSpec).toBe(initialized?.status?.lastPromotedSpec);

  const primary = await get<V1Deployment>('apps/v1', 'Deployment', 'chatbot-primary');
  expect(primary?.spec?.selector).toEqual({ matchLabels: { faas_function: 'chatbot-primary' } });
  expect(primary?.spec?.template?.metadata?.labels).toEqual({ faas_function: 'chatbot-primary' });
  expect(primary?.spec?.template?.metadata?.annotations).toMatchObject({
    [REVISION_ANNOTATION]: 'r1',
    'flagger-id': expect.stringMatching(/^[0-9a-f-]{36}$/),
  });
  expect(primary?.metadata?.ownerReferences?.[0]).toMatchObject({
    kind: 'Canary',
    name: 'chatbot',
    controller: true,
  });
  // The target is scaled down once the apex Service selects the primary.
  expect((await get<V1Deployment>('apps/v1', 'Deployment', 'chatbot'))?.spec?.replicas).toBe(0);

  const selectorOf = async (name: string) =>
    (await get<V1Service>('v1', 'Service', name))?.spec?.selector;
  expect(await selectorOf('chatbot')).toEqual({ faas_function: 'chatbot-primary' });
  expect(await selectorOf('chatbot-primary')).toEqual({ faas_function: 'chatbot-primary' });
  expect(await selectorOf('chatbot-canary')).toEqual({ faas_function: 'chatbot' });

  const split = await get<TrafficSplit>('split.smi-spec.io/v1alpha1', 'TrafficSplit', 'chatbot');
  expect(split?.spec).toEqual({
    service: 'chatbot',
    backends: [
      { service: 'chatbot-canary', weight: '0' },
      { service: 'chatbot-primary', weight: '100' },
    ],
  });
  expect(await flaggerEvents()).toContain('Initialization done! chatbot.openfaas-fn');
});

test('halts on a slow canary with the p99 printed as a Go duration', async () => {
  const { kube, mesh } = await install({ provider: 'linkerd', threshold: 3 });
  await kube.apply(deployment('r1') as KubernetesObject);
  await until(canary, (c) => c?.status?.phase === 'Initialized');
  // A load tester on the canary besides the users (Flagger's docs pair one with an
  // analysis): enough of its 1 in 10 long messages, answered in 700 ms, fill every window.
  mesh.users.setRate('chatbot-canary', 50);
  await kube.apply(deployment('r2', 'slow-replies') as KubernetesObject);
  await until(canary, (c) => c?.status?.phase === 'Failed');
  const halts = (await flaggerEvents()).filter((message) => message.includes('request duration'));
  expect(halts[0]).toMatch(
    /^Halt chatbot\.openfaas-fn advancement request duration \d{3}ms > 500ms$/,
  );
});

test('holds at max weight, failing closed, while the gate cannot be reached', async () => {
  const { kube } = await install({
    approval: true,
    gateUrl: 'http://127.0.0.1:1',
    stepWeight: 50,
    maxWeight: 50,
  });
  await kube.apply(deployment('r1') as KubernetesObject);
  await until(canary, (c) => c?.status?.phase === 'Initialized');
  await kube.apply(deployment('r2') as KubernetesObject);
  const waiting = await until(canary, (c) => c?.status?.phase === 'WaitingPromotion');
  expect(waiting?.status?.conditions?.[0]).toMatchObject({
    status: 'Unknown',
    message: 'Waiting for approval.',
  });
  await new Promise((resolve) => setTimeout(resolve, 600));
  expect((await canary())?.status?.phase).toBe('WaitingPromotion');
  expect(await flaggerEvents()).toEqual(
    expect.arrayContaining([
      'Halt chatbot.openfaas-fn advancement waiting for promotion approval greenlight-approval',
      expect.stringMatching(/^Rollback hook greenlight-abort not signaling a rollback$/),
    ]),
  );
});

test("names Flagger's selector labels when the target has none of them", async () => {
  const { kube } = await install();
  await kube.apply(deployment('r1', undefined, 'tier') as KubernetesObject);
  await until(flaggerEvents, (events) =>
    events.some((message) => message.includes('spec.selector.matchLabels')),
  );
  expect((await flaggerEvents())[0]).toBe(
    'getSelectorLabel failed: deployment chatbot.openfaas-fn spec.selector.matchLabels must contain one of [faas_function app name app.kubernetes.io/name]',
  );
});
