// Prometheus answers shared by everyone who asks the same question, stale-while-revalidate:
// an answer younger than `freshMs` is served as it is; an older one, up to `staleMs`, is
// still served at once while one refresh runs behind it, so a page view never waits on
// Prometheus when a recent answer exists. Only a question never asked, or whose answer is
// older than `staleMs`, waits for Prometheus.
//
// Freshness bound: a served answer was asked of Prometheus at most `staleMs` ago; while
// Prometheus answers and someone keeps asking, at most `freshMs` plus one round ago.

export interface AnswerCacheOptions {
  /** Served without a refresh while younger than this. */
  freshMs: number;
  /** Served (with a refresh behind it) while younger than this; never older. */
  staleMs: number;
  now?: () => number;
}

interface Entry {
  /** When the answer being served was asked for. */
  at?: number;
  answer?: unknown;
  /** The round in flight, shared by everyone who must wait for it. */
  loading?: Promise<unknown>;
}

export class AnswerCache {
  readonly #freshMs: number;
  readonly #staleMs: number;
  readonly #now: () => number;
  readonly #entries = new Map<string, Entry>();

  constructor(options: AnswerCacheOptions) {
    this.#freshMs = options.freshMs;
    this.#staleMs = Math.max(options.staleMs, options.freshMs);
    this.#now = options.now ?? Date.now;
  }

  get<T>(key: string, load: () => Promise<T>): Promise<T> {
    const now = this.#now();
    this.#forgetOld(now);
    const entry = this.#entries.get(key) ?? {};
    this.#entries.set(key, entry);
    const age = entry.at === undefined ? Infinity : now - entry.at;
    if (age < this.#freshMs) return Promise.resolve(entry.answer as T);
    const loading = (entry.loading ??= this.#load(key, entry, load, now)) as Promise<T>;
    return age < this.#staleMs ? Promise.resolve(entry.answer as T) : loading;
  }

  #load<T>(key: string, entry: Entry, load: () => Promise<T>, startedAt: number): Promise<T> {
    const round = load().then(
      (answer) => {
        entry.at = startedAt;
        entry.answer = answer;
        return answer;
      },
      (error: unknown) => {
        // A failure is not kept: the previous answer serves until it is too old, and the
        // next view asks again.
        if (entry.at === undefined) this.#entries.delete(key);
        throw error;
      },
    );
    const settled = () => {
      if (entry.loading === round) entry.loading = undefined;
    };
    round.then(settled, settled);
    return round;
  }

  #forgetOld(now: number): void {
    for (const [key, entry] of this.#entries) {
      if (!entry.loading && (entry.at === undefined || now - entry.at >= this.#staleMs)) {
        this.#entries.delete(key);
      }
    }
  }
}
