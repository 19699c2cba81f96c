/** @jest-environment jsdom */
import { describe, expect, test } from '@jest/globals';
import { act, screen } from '@testing-library/react';
import type { SignalApi } from '@backstage/plugin-signals-react';
import type { JsonObject } from '@backstage/types';
import { ROLLOUT_SIGNAL_CHANNEL } from '@greenlight/backstage-plugin-greenlight-common';
import { EntityGreenlightCard } from '../src/components/EntityGreenlightCard.tsx';
import { POLL_INTERVAL_MS } from '../src/components/usePolling.ts';
import { FixtureApi, rolloutResponse, views } from './fixtures.ts';
import { renderWith } from './render.tsx';

// The live card: a signal naming its Canary loads it again at once; without Backstage's
// signals it polls every POLL_INTERVAL_MS, with them it polls only slowly.

/** Backstage's SignalApi as its SignalClient behaves once its WebSocket delivers a message. */
class SignalsStandIn implements SignalApi {
  readonly subscribers = new Map<string, Set<(message: JsonObject) => void>>();
  subscribe<T extends JsonObject>(channel: string, onMessage: (message: T) => void) {
    const set = this.subscribers.get(channel) ?? new Set();
    this.subscribers.set(channel, set);
    const callback = onMessage as (message: JsonObject) => void;
    set.add(callback);
    return { unsubscribe: () => set.delete(callback) };
  }
  deliver(channel: string, message: JsonObject) {
    for (const callback of this.subscribers.get(channel) ?? []) callback(message);
  }
}

/** A backend whose rollout answers change, counting the loads. */
function countingApi() {
  const api = new FixtureApi({ rollout: rolloutResponse(views.progressing!) });
  let loads = 0;
  const rollout = api.rollout.bind(api);
  api.rollout = () => {
    loads += 1;
    return rollout();
  };
  return { api, loads: () => loads };
}

const sleep = (ms: number) => act(() => new Promise<void>((resolve) => setTimeout(resolve, ms)));
const chatbot = (cluster = 'sandbox') => ({ cluster, namespace: 'openfaas-fn', name: 'chatbot' });

describe('live pages', () => {
  test('without signals the card polls every POLL_INTERVAL_MS', async () => {
    const { api, loads } = countingApi();
    await renderWith(<EntityGreenlightCard />, { api });
    await screen.findByText(/^Progressing/);
    expect(loads()).toBe(1);
    api.answers.rollout = rolloutResponse(views.waiting!);
    await sleep(POLL_INTERVAL_MS + 300);
    expect(loads()).toBe(2);
    expect(screen.getByText('WaitingPromotion (needs approval)')).toBeTruthy();
  }, 15_000);

  test("with signals a signal naming the card's Canary loads it at once, another Canary's does not, and it does not poll every 5 s", async () => {
    const { api, loads } = countingApi();
    const signals = new SignalsStandIn();
    await renderWith(<EntityGreenlightCard />, { api, signals });
    await screen.findByText(/^Progressing/);
    expect(signals.subscribers.get(ROLLOUT_SIGNAL_CHANNEL)?.size).toBe(1);

    api.answers.rollout = rolloutResponse(views.waiting!);
    await act(async () =>
      signals.deliver(ROLLOUT_SIGNAL_CHANNEL, { ...chatbot(), name: 'faq-bot' }),
    );
    await sleep(200);
    expect(loads()).toBe(1);

    await act(async () => signals.deliver(ROLLOUT_SIGNAL_CHANNEL, chatbot()));
    expect(await screen.findByText('WaitingPromotion (needs approval)')).toBeTruthy();
    expect(loads()).toBe(2);

    await sleep(POLL_INTERVAL_MS + 300);
    expect(loads()).toBe(2);
  }, 15_000);
});
