import { useCallback, useEffect, useRef, useState } from 'react';

/** The frontend refreshes every 5 s: a change shows within 5 s plus the backend's watch. */
export const POLL_INTERVAL_MS = 5000;

export interface Polled<T> {
  value?: T;
  error?: Error;
  loading: boolean;
  /** Load again now (after an action, or the user's Retry). */
  reload: () => void;
}

/**
 * Loads now and every `intervalMs` while mounted, starting over when `key` changes. A
 * failed refresh keeps the last value beside the error, so a blip does not blank the
 * page; the next success clears the error.
 */
export function usePolling<T>(
  load: () => Promise<T>,
  key: string,
  intervalMs = POLL_INTERVAL_MS,
): Polled<T> {
  const [state, setState] = useState<{ key: string; value?: T; error?: Error; loaded: boolean }>({
    key,
    loaded: false,
  });
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = () => {
      loadRef
        .current()
        .then(
          (value) => live && setState({ key, value, loaded: true }),
          (error: Error) =>
            live &&
            setState((previous) =>
              previous.key === key
                ? { ...previous, error, loaded: true }
                : { key, error, loaded: true },
            ),
        )
        .finally(() => {
          if (live) timer = setTimeout(run, intervalMs);
        });
    };
    run();
    return () => {
      live = false;
      if (timer) clearTimeout(timer);
    };
  }, [key, tick, intervalMs]);

  const reload = useCallback(() => setTick((n) => n + 1), []);
  const current = state.key === key ? state : { loaded: false, value: undefined, error: undefined };
  return { value: current.value, error: current.error, loading: !current.loaded, reload };
}
