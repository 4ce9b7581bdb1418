/**
 * At most `max` calls to one upstream at a time; the others wait their turn, in order. A waiting call gives up
 * when its signal aborts (the lookup's deadline), so the wait counts against UPSTREAM_TIMEOUT_MS as the call does.
 * A few lines of our own rather than p-limit, whose queue cannot let go of a call whose deadline has passed.
 */
export class ConcurrencyLimit {
  readonly #max: number;
  #running = 0;
  /** Insertion order: the first to wait is the first served. */
  readonly #waiting = new Set<() => void>();

  constructor(max: number) {
    this.#max = max;
  }

  /** Resolves, once a slot is free, to the function that gives it back; rejects with the signal's reason if it aborts first. */
  async acquire(signal: AbortSignal): Promise<() => void> {
    signal.throwIfAborted();
    if (this.#running < this.#max) this.#running++;
    else await this.#turn(signal);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      // The slot goes straight to the next caller, if one waits.
      const [next] = this.#waiting;
      if (next) {
        this.#waiting.delete(next);
        next();
      } else this.#running--;
    };
  }

  #turn(signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const giveUp = () => {
        this.#waiting.delete(take);
        reject(signal.reason as Error);
      };
      const take = () => {
        signal.removeEventListener('abort', giveUp);
        resolve();
      };
      this.#waiting.add(take);
      signal.addEventListener('abort', giveUp, { once: true });
    });
  }
}
