export interface EventQueueOptions {
  /** Event writes in flight at once. */
  concurrency?: number;
  /** Writes waiting beyond those in flight; a new key past this is dropped. */
  maxQueued?: number;
  onError?: (error: unknown) => void;
  /** Called for every dropped write (the metric counts them). */
  onDrop?: () => void;
  /** Told about drops at most once per `logEveryMs`, with how many. */
  log?: (line: string) => void;
  logEveryMs?: number;
}

export const EVENT_WRITE_CONCURRENCY = 4;
export const EVENT_QUEUE_LIMIT = 1000;

/**
 * Event writes off the response path, a few at a time.
 *
 * Unbounded, a burst of first decisions (10,000 Canaries after a restart) opened thousands of
 * API requests at once, grew RSS by 230 MiB and held the answers behind them. So at most
 * `concurrency` are in flight; waiting writes are keyed, a newer write for a key replaces the
 * one still waiting (the Event says the latest), and past `maxQueued` a new key is dropped.
 */
export class EventQueue {
  private readonly waiting = new Map<string, () => Promise<void>>();
  private readonly idle: Array<() => void> = [];
  private readonly concurrency: number;
  private readonly maxQueued: number;
  private readonly options: EventQueueOptions;
  private inFlight = 0;
  private unkeyed = 0;
  private droppedUnlogged = 0;
  private dropLog?: ReturnType<typeof setTimeout>;

  constructor(options: EventQueueOptions = {}) {
    this.options = options;
    this.concurrency = options.concurrency ?? EVENT_WRITE_CONCURRENCY;
    this.maxQueued = options.maxQueued ?? EVENT_QUEUE_LIMIT;
  }

  /** Queues `write`; false when the queue is full and it was dropped. No key: never coalesced. */
  enqueue(write: () => Promise<void>, key = `#${this.unkeyed++}`): boolean {
    if (this.waiting.has(key)) this.waiting.delete(key);
    else if (this.waiting.size >= this.maxQueued) return this.drop();
    this.waiting.set(key, write);
    this.drain();
    return true;
  }

  /** Resolves once nothing waits and nothing is in flight (for shutdown and tests). */
  flush(): Promise<void> {
    if (this.inFlight === 0 && this.waiting.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private drain() {
    while (this.inFlight < this.concurrency && this.waiting.size > 0) {
      const [key, write] = this.waiting.entries().next().value!;
      this.waiting.delete(key);
      this.inFlight += 1;
      void Promise.resolve()
        .then(write)
        .catch((error: unknown) => this.options.onError?.(error))
        .finally(() => {
          this.inFlight -= 1;
          this.drain();
          if (this.inFlight === 0 && this.waiting.size === 0)
            this.idle.splice(0).forEach((f) => f());
        });
    }
  }

  private drop(): false {
    this.options.onDrop?.();
    this.droppedUnlogged += 1;
    if (!this.dropLog) this.logDrops();
    return false;
  }

  /** Logs the drops so far, then again after `logEveryMs` only if more were dropped. */
  private logDrops() {
    this.dropLog = undefined;
    if (this.droppedUnlogged === 0) return;
    this.options.log?.(
      `dropped ${this.droppedUnlogged} event write(s): ${this.maxQueued} already waiting`,
    );
    this.droppedUnlogged = 0;
    this.dropLog = setTimeout(() => this.logDrops(), this.options.logEveryMs ?? 60_000);
    this.dropLog.unref();
  }
}
