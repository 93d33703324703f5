// Follows the registry's change counter: local changes at once, other processes' by polling.

import type { Clock } from '@interop-blocks/core';

/**
 * Knows the latest registry generation. Changes made through this process are noted at once;
 * changes made by other processes sharing the database are found by reading the counter, at most
 * once every `intervalMs` of clock time. So a decision cached before another process's change is
 * used for at most `intervalMs` after that change committed (the staleness bound); `0` reads the
 * counter before every decision.
 */
export class GenerationWatch {
  #known = -1;
  #lastCheck = Number.NEGATIVE_INFINITY;
  #inFlight: Promise<number> | undefined;

  constructor(
    private readonly read: () => Promise<number>,
    private readonly clock: Clock,
    private readonly intervalMs: number,
    private readonly onChange: () => void,
  ) {}

  /** The current generation, reading the counter when the last read is older than the interval. */
  async current(): Promise<number> {
    if (this.clock.now() - this.#lastCheck < this.intervalMs) return this.#known;
    this.#inFlight ??= this.#check().finally(() => {
      this.#inFlight = undefined;
    });
    return this.#inFlight;
  }

  /** Notes a generation produced by a change committed through this process. */
  observe(generation: number): void {
    if (generation <= this.#known) return;
    this.#known = generation;
    this.onChange();
  }

  async #check(): Promise<number> {
    // The read starts after this instant, so it sees every change committed before it.
    const startedAt = this.clock.now();
    const generation = await this.read();
    this.#lastCheck = Math.max(this.#lastCheck, startedAt);
    this.observe(generation);
    return this.#known;
  }
}
