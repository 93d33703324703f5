// Time as a dependency: the system clock, and a manual clock that tests move by hand.

/** A source of the current time in epoch milliseconds. */
export interface Clock {
  /** Current time in epoch milliseconds. */
  now(): number;
}

/** The wall clock. */
export const systemClock: Clock = Object.freeze({ now: () => Date.now() });

/**
 * A clock that moves only when told to; for deterministic tests.
 *
 * @example
 * ```ts
 * const clock = new ManualClock('2026-01-01T00:00:00Z');
 * clock.advance(30_000);
 * ```
 */
export class ManualClock implements Clock {
  #now: number;

  constructor(start: number | string | Date = 0) {
    this.#now = toMillis(start);
  }

  now(): number {
    return this.#now;
  }

  /** Moves the clock forward by `ms` (negative values are refused). */
  advance(ms: number): number {
    if (!(ms >= 0)) throw new RangeError('A manual clock only moves forward.');
    this.#now += ms;
    return this.#now;
  }

  /** Sets the clock to an absolute time. */
  set(to: number | string | Date): void {
    this.#now = toMillis(to);
  }
}

function toMillis(value: number | string | Date): number {
  const ms = typeof value === 'number' ? value : new Date(value).getTime();
  if (!Number.isFinite(ms)) throw new RangeError('Not a valid time.');
  return ms;
}
