/**
 * Runs `round` now and then `intervalMs` after each round ends (never two at once), until
 * `stop`, which waits for the round under way. The Slack messages and the notifications
 * both pace themselves with it.
 */
export class Rounds {
  readonly #round: () => Promise<void>;
  readonly #intervalMs: number;
  #timer: NodeJS.Timeout | undefined;
  #current: Promise<void> = Promise.resolve();

  constructor(round: () => Promise<void>, intervalMs: number) {
    this.#round = round;
    this.#intervalMs = intervalMs;
  }

  start(): void {
    const next = () => {
      this.#current = this.#round().finally(() => {
        if (this.#timer) this.#timer = setTimeout(next, this.#intervalMs);
      });
    };
    this.#timer = setTimeout(next, 0);
  }

  async stop(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#current;
  }
}
