// A circuit breaker per source: open after consecutive failures, one probe after a pause.

import type { Clock } from '@interop-blocks/core';

/** The state of a breaker. */
export type BreakerState = 'closed' | 'open' | 'half-open';

/**
 * Counts consecutive failed attempts of one source. After `failures` of them it opens: nothing is
 * sent. After `halfOpenAfterMs` it lets one probe through (half-open); a success closes it, a
 * failure opens it again for another pause.
 */
export class CircuitBreaker {
  readonly #failures: number;
  readonly #halfOpenAfterMs: number;
  readonly #clock: Clock;
  readonly #onChange: (state: BreakerState) => void;
  #state: BreakerState = 'closed';
  #consecutive = 0;
  #openedAt = 0;
  #probing = false;

  constructor(
    options: { failures: number; halfOpenAfterMs: number; clock: Clock },
    onChange: (state: BreakerState) => void = () => undefined,
  ) {
    this.#failures = options.failures;
    this.#halfOpenAfterMs = options.halfOpenAfterMs;
    this.#clock = options.clock;
    this.#onChange = onChange;
  }

  /** The current state, moving from open to half-open once the pause is over. */
  get state(): BreakerState {
    if (this.#state === 'open' && this.#clock.now() - this.#openedAt >= this.#halfOpenAfterMs) {
      this.#set('half-open');
    }
    return this.#state;
  }

  /** Ms until an open breaker lets a probe through (0 when it already does). */
  get msUntilProbe(): number {
    if (this.state !== 'open') return 0;
    return Math.max(0, this.#openedAt + this.#halfOpenAfterMs - this.#clock.now());
  }

  /** True when an attempt may start now; in half-open state only one probe at a time. */
  tryAcquire(): boolean {
    const state = this.state;
    if (state === 'closed') return true;
    if (state === 'open' || this.#probing) return false;
    this.#probing = true;
    return true;
  }

  /** Gives back a probe taken by {@link tryAcquire} that was not used (nothing to send). */
  release(): void {
    this.#probing = false;
  }

  /** An attempt reached the source and got an answer. */
  success(): void {
    this.#consecutive = 0;
    this.#probing = false;
    if (this.#state !== 'closed') this.#set('closed');
  }

  /** An attempt failed in a way that counts against the source (timeout, 5xx, no connection). */
  failure(): void {
    this.#probing = false;
    this.#consecutive += 1;
    if (this.#state === 'half-open' || this.#consecutive >= this.#failures) {
      this.#openedAt = this.#clock.now();
      if (this.#state !== 'open') this.#set('open');
    }
  }

  #set(state: BreakerState): void {
    this.#state = state;
    this.#onChange(state);
  }
}
