import { useEffect, useRef } from 'react';
import { useApiHolder } from '@backstage/core-plugin-api';
import { signalApiRef } from '@backstage/plugin-signals-react';
import { ROLLOUT_SIGNAL_CHANNEL } from '@greenlight/backstage-plugin-greenlight-common';
import type { RolloutSignal } from '@greenlight/backstage-plugin-greenlight-common';
import { POLL_INTERVAL_MS, usePolling } from './usePolling.ts';
import type { Polled } from './usePolling.ts';

/**
 * With Backstage's signals, a page still polls this slowly: a signal lost while the
 * WebSocket reconnects (or an app whose backend lacks the signals plugin) shows late, not never.
 */
export const LIVE_POLL_INTERVAL_MS = 30_000;

/**
 * usePolling, pushed: where the app has Backstage's signals, the backend's signal that a
 * Canary changed (ROLLOUT_SIGNAL_CHANNEL) loads again at once when `shows(signal)`, and
 * polling slows to LIVE_POLL_INTERVAL_MS; without them the page polls every
 * POLL_INTERVAL_MS. A signal only names the Canary: what it shows comes from `load`, the
 * permission-checked API.
 */
export function useLive<T>(
  load: () => Promise<T>,
  key: string,
  shows: (signal: RolloutSignal) => boolean,
): Polled<T> {
  // The SignalApi itself rather than useSignal: that keeps the last signal per render, so of
  // two signals in one batch (the backend's gathered changes) the one for this page could be lost.
  const signals = useApiHolder().get(signalApiRef);
  const polled = usePolling(load, key, signals ? LIVE_POLL_INTERVAL_MS : POLL_INTERVAL_MS);
  const { reload } = polled;
  const showsRef = useRef(shows);
  showsRef.current = shows;
  useEffect(() => {
    if (!signals) return undefined;
    const subscription = signals.subscribe<RolloutSignal>(ROLLOUT_SIGNAL_CHANNEL, (signal) => {
      if (showsRef.current(signal)) reload();
    });
    return () => subscription.unsubscribe();
  }, [signals, reload, showsRef]);
  return polled;
}

/** Whether a signal names the Canary `ref` (no cluster: the default one, any name matches). */
export function namesCanary(
  ref: { cluster?: string; namespace: string; name: string },
  signal: RolloutSignal,
): boolean {
  return (
    signal.namespace === ref.namespace &&
    signal.name === ref.name &&
    (ref.cluster === undefined || signal.cluster === ref.cluster)
  );
}
