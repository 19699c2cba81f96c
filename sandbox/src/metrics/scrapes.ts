import type { Sample } from '../mesh/index.ts';
import type { CounterSource } from './evaluate.ts';
import { History } from './history.ts';

// What Prometheus keeps of a target: its samples at each scrape, for a retention period, so
// `rate(x[1m])` can look back. The target is the mesh's proxy counts (../mesh/metrics.ts),
// scraped every `intervalMs` and on every read that is newer than the last scrape; a scrape
// that finds no new response stores nothing (the samples in force are the same).

export interface ScrapeTarget {
  samples(): Sample[];
  /** Moves whenever a sample does. */
  readonly total: number;
}

export interface ScrapeOptions {
  intervalMs: number;
  /** How far back queries can look. */
  retentionMs: number;
  /** The clock, in ms since the epoch; default Date.now. */
  now?: () => number;
}

export class Scrapes implements CounterSource {
  readonly #target: ScrapeTarget;
  readonly #retentionMs: number;
  readonly #clock: () => number;
  readonly #history = new History<Sample[]>();
  readonly #timer: NodeJS.Timeout;
  #lastAt = -Infinity;
  #lastTotal = -1;

  constructor(target: ScrapeTarget, options: ScrapeOptions) {
    this.#target = target;
    this.#retentionMs = options.retentionMs;
    this.#clock = options.now ?? Date.now;
    this.#timer = setInterval(() => this.#scrape(), options.intervalMs);
    this.#timer.unref();
  }

  now(): number {
    return this.#clock();
  }

  samplesAt(atMs: number): Sample[] | undefined {
    if (atMs >= this.#lastAt) this.#scrape();
    return this.#history.at(atMs);
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  #scrape(): void {
    const at = this.#clock();
    this.#lastAt = at;
    if (this.#target.total !== this.#lastTotal) {
      this.#lastTotal = this.#target.total;
      this.#history.push(at, this.#target.samples());
    }
    this.#history.forgetBefore(at - this.#retentionMs);
  }
}
