import type { Behaviour } from './behaviour.ts';
import { LATENCY_BUCKETS_MS } from './buckets.ts';

// Latencies follow a log-normal distribution — the usual shape of service latencies —
// fitted through the behaviour's p50 and p99. The model needs only the share of requests
// at or under each bucket bound and the mean (for `_sum`).

const Z99 = 2.3263478740408408; // the standard normal's 0.99 quantile

export interface LatencyProfile {
  /** Fraction of requests at or under each of LATENCY_BUCKETS_MS; the last is 1. */
  cumulative: number[];
  meanMs: number;
}

export function latencyProfile({ p50Ms, p99Ms }: Behaviour): LatencyProfile {
  const mu = Math.log(p50Ms);
  const sigma = Math.log(p99Ms / p50Ms) / Z99;
  const cdf = (ms: number): number => {
    if (ms === Infinity) return 1;
    if (sigma === 0) return ms >= p50Ms ? 1 : 0;
    return 0.5 * (1 + erf((Math.log(ms) - mu) / (sigma * Math.SQRT2)));
  };
  return {
    cumulative: LATENCY_BUCKETS_MS.map(cdf),
    meanMs: Math.exp(mu + (sigma * sigma) / 2),
  };
}

// Abramowitz & Stegun 7.1.26; absolute error below 1.5e-7, far under one request.
function erf(x: number): number {
  const sign = x < 0 ? -1 : 1;
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const poly =
    t *
    (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  return sign * (1 - poly * Math.exp(-a * a));
}
