// Remembers the keyed hash and sealed copy of recent subjects: a case asks many sources about
// the same few persons, so most appends reuse them instead of running HMAC and AES-GCM again.

import { sha256Hex } from './canonical.js';
import { seal, sealedAad, subjectHmac } from './subject-crypto.js';
import type { TrailKey, TrailSubject } from './types.js';

/** The stored forms of one subject under one HMAC key and one data key. */
export interface SealedSubject {
  hmac: string;
  sealed: Buffer;
  digest: string;
}

const MAX_ENTRIES = 10_000;

/**
 * A bounded map from (HMAC key, data key, subject as given) to its stored forms. Reusing a
 * ciphertext reveals only that two records are about one person, which the HMAC already shows.
 */
export class SubjectCache {
  readonly #entries = new Map<string, SealedSubject>();

  /** The stored forms of `subject`, computed on a miss. */
  get(
    trail: string,
    hmacKey: TrailKey,
    dataKey: { id: string; key: Uint8Array },
    subject: TrailSubject,
  ): SealedSubject {
    const cacheKey = `${hmacKey.id}\u0000${dataKey.id}\u0000${subject.scheme}\u0000${subject.id}`;
    let entry = this.#entries.get(cacheKey);
    if (!entry) {
      const plain = Buffer.from(JSON.stringify([subject.scheme, subject.id]), 'utf8');
      const sealed = seal(dataKey.key, plain, sealedAad(trail, dataKey.id, 'subject'));
      entry = { hmac: subjectHmac(hmacKey.key, subject), sealed, digest: sha256Hex(sealed) };
      if (this.#entries.size >= MAX_ENTRIES) this.#entries.clear();
      this.#entries.set(cacheKey, entry);
    }
    return entry;
  }

  /** Forgets everything (after keys were purged). */
  clear(): void {
    this.#entries.clear();
  }
}
