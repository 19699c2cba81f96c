// Counter values over time, kept for a retention period, so `rate(x[1m])` can look back.
// A value holds from its time until the next one (counters only change at ticks).
export class History<T> {
  readonly #times: number[] = [];
  readonly #values: T[] = [];

  /** Records `value` at `t`; times must not decrease. */
  push(t: number, value: T): void {
    const last = this.#times.length - 1;
    if (last >= 0 && this.#times[last] === t) {
      this.#values[last] = value;
      return;
    }
    this.#times.push(t);
    this.#values.push(value);
  }

  /** The value in force at `t` (the latest recorded at or before it). */
  at(t: number): T | undefined {
    const i = this.#lastAtOrBefore(t);
    return i < 0 ? undefined : this.#values[i];
  }

  /** Forgets values older than `t`, but keeps the one in force at `t`. */
  forgetBefore(t: number): void {
    const i = this.#lastAtOrBefore(t);
    if (i > 0) {
      this.#times.splice(0, i);
      this.#values.splice(0, i);
    }
  }

  #lastAtOrBefore(t: number): number {
    let low = 0;
    let high = this.#times.length - 1;
    let found = -1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      if ((this.#times[mid] ?? Infinity) <= t) {
        found = mid;
        low = mid + 1;
      } else {
        high = mid - 1;
      }
    }
    return found;
  }
}
