import type { Behaviour } from './behaviour.ts';
import type { LatencyProfile } from './latency.ts';
import { LATENCY_BUCKETS_MS } from './buckets.ts';

// The proxy counters of one Deployment. Requests arrive as fractional expectations (rate ×
// share × tick) and the counters are their running totals, rounded: no randomness, so a
// behaviour of 82 % success reads 82 % over any window, within one request of rounding,
// and the shares of blue and green follow the weights just as exactly.

export const CLASSIFICATIONS = ['success', 'failure'] as const;
export type Classification = (typeof CLASSIFICATIONS)[number];

/** The status code each classification is answered with (Linkerd: 5xx is a failure). */
export const STATUS_CODES: Record<Classification, string> = { success: '200', failure: '500' };

export interface ClassCounters {
  responses: number;
  /** Cumulative counts, one per LATENCY_BUCKETS_MS entry; the last equals `responses`. */
  buckets: number[];
  sumMs: number;
}

export type Snapshot = Record<Classification, ClassCounters>;

export class DeploymentCounters {
  #expectedRequests = 0;
  #requests = 0;
  #expectedFailures = 0;
  #failures = 0;
  readonly #expectedBuckets: Record<Classification, number[]> = {
    success: LATENCY_BUCKETS_MS.map(() => 0),
    failure: LATENCY_BUCKETS_MS.map(() => 0),
  };
  readonly #sumMs: Record<Classification, number> = { success: 0, failure: 0 };

  /** Serves `expected` (fractional) requests; true when a counter moved. */
  serve(expected: number, behaviour: Behaviour, latency: LatencyProfile): boolean {
    this.#expectedRequests += expected;
    const requests = Math.round(this.#expectedRequests);
    const served = requests - this.#requests;
    if (served <= 0) return false;
    this.#requests = requests;
    this.#expectedFailures += served * (1 - behaviour.successPercent / 100);
    const failures = Math.min(Math.round(this.#expectedFailures), requests);
    const failed = failures - this.#failures;
    this.#failures = failures;
    this.#observe('success', served - failed, latency);
    this.#observe('failure', failed, latency);
    return true;
  }

  snapshot(): Snapshot {
    const of = (classification: Classification, responses: number): ClassCounters => ({
      responses,
      buckets: this.#expectedBuckets[classification].map((expected) =>
        Math.min(Math.round(expected), responses),
      ),
      sumMs: this.#sumMs[classification],
    });
    return {
      success: of('success', this.#requests - this.#failures),
      failure: of('failure', this.#failures),
    };
  }

  #observe(classification: Classification, count: number, latency: LatencyProfile): void {
    if (count === 0) return;
    const buckets = this.#expectedBuckets[classification];
    latency.cumulative.forEach((share, i) => (buckets[i] = (buckets[i] ?? 0) + count * share));
    this.#sumMs[classification] += count * latency.meanMs;
  }
}
