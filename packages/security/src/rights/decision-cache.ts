// A bounded LRU of decisions with a time-to-live, tagged with the registry generation.

import type { AuthorizationDecision } from './types.js';

/** One cached decision and where it holds. */
export interface CachedDecision {
  decision: AuthorizationDecision;
  /** The registry generation the decision was computed under. */
  generation: number;
  /** The decision holds for evaluation times in [`from`, `until`): the rights' validity edges. */
  from: number;
  until: number;
}

interface Entry extends CachedDecision {
  /** Clock time after which the entry is dropped. */
  expiresAt: number;
}

/**
 * Decisions by request key. An entry is used only under the generation it was computed in and for
 * evaluation times inside its validity window; it is dropped after `ttlMs`, and the least recently
 * used entry goes when `maxEntries` is reached.
 */
export class DecisionCache {
  readonly #entries = new Map<string, Entry>();
  readonly #maxEntries: number;
  readonly #ttlMs: number;

  constructor(maxEntries: number, ttlMs: number) {
    this.#maxEntries = maxEntries;
    this.#ttlMs = ttlMs;
  }

  /** The cached decision for `key`, if it holds under `generation` at `time` (clock `now`). */
  get(
    key: string,
    generation: number,
    time: number,
    now: number,
  ): AuthorizationDecision | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.generation !== generation || now >= entry.expiresAt) {
      this.#entries.delete(key);
      return undefined;
    }
    if (time < entry.from || time >= entry.until) return undefined;

    // Map order is insertion order: re-inserting marks the entry most recently used.
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.decision;
  }

  /** Stores a decision; evicts the least recently used entry when full. */
  set(key: string, value: CachedDecision, now: number): void {
    if (this.#maxEntries <= 0 || this.#ttlMs <= 0) return;
    this.#entries.delete(key);
    if (this.#entries.size >= this.#maxEntries) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    this.#entries.set(key, { ...value, expiresAt: now + this.#ttlMs });
  }

  /** Forgets every decision. */
  clear(): void {
    this.#entries.clear();
  }

  /** How many decisions are held. */
  get size(): number {
    return this.#entries.size;
  }
}
