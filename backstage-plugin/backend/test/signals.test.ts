import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createBackendPlugin } from '@backstage/backend-plugin-api';
import { eventsServiceFactory, eventsServiceRef } from '@backstage/plugin-events-node';
import { ROLLOUT_SIGNAL_CHANNEL } from '@greenlight/backstage-plugin-greenlight-common';
import { entity, startBackendInstance } from '@greenlight/test-kit/backstage/backend';
import {
  canaryEvent,
  canaryOf,
  chatbotObjects,
  NS,
  startStandIn,
} from '@greenlight/test-kit/cluster/backstage';
import type { ChatbotSpec, StandIn } from '@greenlight/test-kit/cluster/backstage';

// The live pages' signals through Backstage's signals service (its default, which the signals
// backend also uses) in the test backend, received where Backstage's signals backend receives
// them: the events service's "signals" topic. (The test backend's root router serves no
// WebSocket, so the hop from there to a page is the bench's, bench/live-pages.ts.)

const chatbot = (spec: Partial<ChatbotSpec> = {}): ChatbotSpec => ({
  name: 'chatbot',
  phase: 'Progressing',
  greenWeight: 10,
  revision: 'c0ffee1',
  promotedRevision: 'beef001',
  ...spec,
});

let standIn: StandIn;
let backend: Awaited<ReturnType<typeof startBackendInstance>>;
const received: unknown[] = [];

/** What Backstage's signals backend subscribes to, recorded. */
const signalsListener = createBackendPlugin({
  pluginId: 'signals-listener',
  register(env) {
    env.registerInit({
      deps: { events: eventsServiceRef },
      async init({ events }) {
        await events.subscribe({
          id: 'signals-listener',
          topics: ['signals'],
          async onEvent({ eventPayload }) {
            const { channel, message, recipients } = eventPayload as Record<string, unknown>;
            received.push({ channel, message, recipients });
          },
        });
      },
    });
  },
});

/** Deploys `spec` and writes its Canary's status as Flagger would: a burst of writes. */
function rollout(spec: ChatbotSpec): void {
  standIn.deploy(spec);
  standIn.api.store.putStatus(canaryOf(spec));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function eventually(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('the condition did not hold in time');
    await sleep(20);
  }
}

beforeAll(async () => {
  standIn = await startStandIn();
  rollout(chatbot());
  rollout(chatbot({ name: 'faq-bot' }));
  backend = await startBackendInstance({
    kubeconfig: standIn.kubeconfig,
    prometheusUrl: standIn.prometheus.url,
    entities: [entity('chatbot', { 'greenlight.dev/canary': `${NS}/chatbot` })],
    // Backstage's events service, which the signals service publishes through (the test
    // backend's stand-in keeps each plugin's events to itself).
    features: [eventsServiceFactory, signalsListener],
  });
  // Let the first lists and the subscription settle.
  await sleep(1000);
  received.length = 0;
});

afterAll(async () => {
  await backend.stop();
  await standIn.close();
});

describe('live pages: a signal per changed rollout', () => {
  test('a burst of writes to one Canary (status, Deployments, route) sends one signal naming it, and nothing else', async () => {
    const started = Date.now();
    rollout(chatbot({ greenWeight: 30 }));
    await eventually(() => received.length > 0);
    expect(Date.now() - started).toBeLessThan(1000);
    await sleep(500);
    expect(received).toEqual([
      {
        channel: ROLLOUT_SIGNAL_CHANNEL,
        message: { cluster: 'sandbox', namespace: NS, name: 'chatbot' },
        recipients: { type: 'broadcast' },
      },
    ]);
  });

  test('writes that leave every view as it was (a label on the primary), and watches that drop and resume, send none', async () => {
    received.length = 0;
    rollout(chatbot({ greenWeight: 30 }));
    // A new resourceVersion of the primary that no view reads (a label): compared by content.
    const primary = chatbotObjects(chatbot({ greenWeight: 30 })).find(
      (object) => object.metadata?.name === 'chatbot-primary',
    )!;
    standIn.api.store.put({
      ...primary,
      metadata: { ...primary.metadata, labels: { team: 'bots' } },
    });
    expect(standIn.api.disconnectWatches()).toBeGreaterThan(0);
    await sleep(1500);
    expect(received).toEqual([]);
  });

  test('an Event about a Canary (its history) sends a signal, and so does a Canary deleted', async () => {
    const about = (name: string) => ({
      channel: ROLLOUT_SIGNAL_CHANNEL,
      message: { cluster: 'sandbox', namespace: NS, name },
      recipients: { type: 'broadcast' },
    });
    received.length = 0;
    standIn.api.store.put(
      canaryEvent(
        'faq-bot',
        'a',
        'Synced',
        'Advance faq-bot.openfaas-fn canary weight 20',
        '2026-01-10T10:00:00Z',
      ),
    );
    await eventually(() => received.length > 0);
    await sleep(500);
    expect(received).toEqual([about('faq-bot')]);

    received.length = 0;
    standIn.api.store.delete({ apiVersion: 'flagger.app/v1beta1', kind: 'Canary' }, NS, 'faq-bot');
    await eventually(() => received.length > 0);
    await sleep(500);
    expect(received).toEqual([about('faq-bot')]);
  });
});
