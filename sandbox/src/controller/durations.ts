import { parseGoDuration } from 'flagger-types';

// Durations as Flagger's Go code prints and scales them.

/**
 * Go's time.Duration.String() for a whole number of milliseconds: `870ms`, `1.5s`,
 * `2m0s`, `1h0m0s`, `0s` — what Flagger prints in "request duration 870ms > 500ms".
 */
export function formatGoDuration(ms: number): string {
  const whole = Math.trunc(ms);
  if (whole === 0) return '0s';
  const sign = whole < 0 ? '-' : '';
  const abs = Math.abs(whole);
  if (abs < 1000) return `${sign}${abs}ms`;
  const hours = Math.floor(abs / 3_600_000);
  const minutes = Math.floor((abs % 3_600_000) / 60_000);
  const seconds = (abs % 60_000) / 1000;
  const secondsText = `${trimFraction(seconds)}s`;
  if (hours > 0) return `${sign}${hours}h${minutes}m${secondsText}`;
  if (minutes > 0) return `${sign}${minutes}m${secondsText}`;
  return `${sign}${secondsText}`;
}

function trimFraction(value: number): string {
  return value.toFixed(3).replace(/\.?0+$/, '');
}

/**
 * A Go duration (a metric's `interval`) divided by the sandbox's speed, as a Prometheus
 * duration in whole milliseconds (`1m` at speed 40 → `1500ms`), so that a metric window
 * spans as many analysis intervals as it does in a cluster.
 */
export function scaledWindow(goDuration: string, speed: number): string {
  const ms = parseGoDuration(goDuration) ?? 60_000;
  return `${Math.max(1, Math.round(ms / speed))}ms`;
}
