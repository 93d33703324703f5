// A token bucket: at most `ratePerSecond` requests a second to one source, with a burst of one
// second.

import type { Clock } from '@interop-blocks/core';

/** Spaces out requests to one source. Without a rate it never waits. */
export class RateLimiter {
  readonly #rate: number | undefined;
  readonly #clock: Clock;
  #tokens: number;
  #at: number;

  constructor(ratePerSecond: number | undefined, clock: Clock) {
    this.#rate = ratePerSecond;
    this.#clock = clock;
    this.#tokens = Math.max(1, ratePerSecond ?? 1);
    this.#at = clock.now();
  }

  /** Takes a token if there is one; otherwise returns the ms until there will be. */
  take(): number {
    if (this.#rate === undefined) return 0;
    const now = this.#clock.now();
    const capacity = Math.max(1, this.#rate);
    this.#tokens = Math.min(capacity, this.#tokens + ((now - this.#at) * this.#rate) / 1000);
    this.#at = now;
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - this.#tokens) * 1000) / this.#rate);
  }

  /** Gives back a token taken by {@link take} that was not used. */
  refund(): void {
    if (this.#rate !== undefined) this.#tokens += 1;
  }
}
