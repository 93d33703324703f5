// Parses x5c chains once per distinct chain; holds parsing results only, never trust decisions.

import { SecurityError } from '../errors.js';
import { parseCertificate, type Certificate } from '../pki/certificate.js';

const DEFAULT_CAPACITY = 512;

/**
 * A bounded cache from an `x5c` value to its parsed certificates. Every verification still asks
 * the validator whether the chain is trusted at that time; this only saves the DER parsing.
 */
export class X5cCache {
  readonly #capacity: number;
  readonly #chains = new Map<string, readonly Certificate[]>();

  /** @param capacity - chains kept before the least recently used is dropped; default 512. */
  constructor(capacity = DEFAULT_CAPACITY) {
    this.#capacity = capacity;
  }

  /**
   * The parsed chain of an `x5c` value (base64 DER, signer first).
   * @throws SecurityError `JWS_CERT_UNTRUSTED` when a certificate cannot be parsed.
   */
  chain(x5c: readonly string[]): readonly Certificate[] {
    const key = x5c.join('.');
    const hit = this.#chains.get(key);
    if (hit) {
      this.#chains.delete(key);
      this.#chains.set(key, hit);
      return hit;
    }

    const chain = Object.freeze(x5c.map(parseOne));
    this.#chains.set(key, chain);
    if (this.#chains.size > this.#capacity) {
      const oldest = this.#chains.keys().next().value;
      if (oldest !== undefined) this.#chains.delete(oldest);
    }
    return chain;
  }
}

function parseOne(base64: string): Certificate {
  try {
    return parseCertificate(new Uint8Array(Buffer.from(base64, 'base64')));
  } catch (cause) {
    throw new SecurityError('JWS_CERT_UNTRUSTED', 'An x5c certificate cannot be parsed.', {
      cause,
    });
  }
}
