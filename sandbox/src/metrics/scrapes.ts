import { seriesKey, type Sample } from '../mesh/index.ts';
import type { CounterSource } from './evaluate.ts';
import { History } from './history.ts';

// What Prometheus keeps of a target: its samples at each scrape, for a retention period, so
// `rate(x[1m])` can look back. The target is the mesh's proxy counts (../mesh/metrics.ts),
// scraped every `intervalMs` and on every read of the present newer than the last scrape; a scrape
// that finds no new response stores nothing (the samples in force are the same). As in a
// TSDB, a series' name and labels are kept once and each scrape only its values.

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

type Series = Pick<Sample, 'name' | 'labels'>;

export class Scrapes implements CounterSource {
  readonly #target: ScrapeTarget;
  readonly #retentionMs: number;
  readonly #intervalMs: number;
  readonly #clock: () => number;
  readonly #series: Series[] = [];
  readonly #ids = new Map<string, number>();
  /** Per scrape, the value of each series by its id; NaN: not exposed then. */
  readonly #history = new History<Float64Array>();
  readonly #timer: NodeJS.Timeout;
  #lastAt = -Infinity;
  #lastTotal = -1;

  constructor(target: ScrapeTarget, options: ScrapeOptions) {
    this.#target = target;
    this.#retentionMs = options.retentionMs;
    this.#intervalMs = options.intervalMs;
    this.#clock = options.now ?? Date.now;
    this.#timer = setInterval(() => this.#scrape(), options.intervalMs);
    this.#timer.unref();
  }

  now(): number {
    return this.#clock();
  }

  samplesAt(atMs: number): Sample[] | undefined {
    // A read of the present (within a scrape interval) past the last scrape scrapes now,
    // stamped with the read's time, so a query sees every reply counted before it was answered.
    const now = this.#clock();
    if (atMs >= this.#lastAt && atMs >= now - this.#intervalMs) this.#scrape(Math.min(atMs, now));
    const values = this.#history.at(atMs);
    if (!values) return undefined;
    const samples: Sample[] = [];
    values.forEach((value, id) => {
      if (!Number.isNaN(value)) samples.push({ ...this.#series[id]!, value });
    });
    return samples;
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  #scrape(at = this.#clock()): void {
    this.#lastAt = at;
    if (this.#target.total !== this.#lastTotal) {
      this.#lastTotal = this.#target.total;
      const samples = this.#target.samples();
      const ids = samples.map((sample) => this.#idOf(sample));
      const values = new Float64Array(this.#series.length).fill(NaN);
      samples.forEach((sample, i) => (values[ids[i]!] = sample.value));
      this.#history.push(at, values);
    }
    this.#history.forgetBefore(at - this.#retentionMs);
  }

  #idOf(sample: Sample): number {
    const key = seriesKey(sample);
    let id = this.#ids.get(key);
    if (id === undefined) {
      id = this.#series.length;
      this.#series.push({ name: sample.name, labels: sample.labels });
      this.#ids.set(key, id);
    }
    return id;
  }
}
