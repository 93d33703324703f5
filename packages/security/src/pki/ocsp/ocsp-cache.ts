// Keeps verified OCSP answers until their nextUpdate (or the freshness limit), bounded in size.

import type { CertStatus } from './read-single-response.js';

/** One verified answer, with the times that bound its use. */
export interface CachedOcspAnswer {
  readonly status: CertStatus;
  readonly thisUpdate: Date;
  readonly nextUpdate?: Date;
  readonly producedAt: Date;
  /** Epoch ms after which the answer is no longer used. */
  readonly expiresAt: number;
}

/** A size-bounded map of answers; the oldest entry goes first when full. */
export class OcspCache {
  readonly #entries = new Map<string, CachedOcspAnswer>();
  readonly #maxEntries: number;

  constructor(maxEntries: number) {
    this.#maxEntries = maxEntries;
  }

  /** The answer under `key`, if it has not expired at `now` (epoch ms). */
  get(key: string, now: number): CachedOcspAnswer | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (now > entry.expiresAt) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }

  /** Stores `answer` under `key`, evicting the oldest entry when full. */
  set(key: string, answer: CachedOcspAnswer): void {
    this.#entries.delete(key);
    if (this.#maxEntries <= 0) return;
    if (this.#entries.size >= this.#maxEntries) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    this.#entries.set(key, answer);
  }

  /** Number of entries held (expired ones included until next read). */
  get size(): number {
    return this.#entries.size;
  }

  /** Forgets every answer. */
  clear(): void {
    this.#entries.clear();
  }
}
