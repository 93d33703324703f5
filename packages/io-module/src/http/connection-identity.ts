// Remembers the authenticated client of each TLS connection, re-checked after a bounded time.

import type { TLSSocket } from 'node:tls';

/** An identity and the time (epoch ms) until which it holds without a new check. */
interface Remembered<P> {
  principal: P;
  until: number;
}

/**
 * The client of a TLS connection does not change while it lasts, so its full check (path
 * validation with revocation, principal lookup) runs once per connection and again after
 * `recheckMs` or when the leaf certificate expires, whichever comes first. A revocation or an
 * unregistration therefore reaches an open connection within `recheckMs`; a new connection is
 * always checked at once.
 */
export class ConnectionIdentities<P> {
  readonly #known = new WeakMap<TLSSocket, Remembered<P>>();
  readonly #recheckMs: number;
  readonly #now: () => number;

  constructor(recheckMs: number, now: () => number = Date.now) {
    this.#recheckMs = recheckMs;
    this.#now = now;
  }

  /** The connection's client: remembered, or checked now by `check` and remembered. */
  async of(socket: TLSSocket, check: () => Promise<{ principal: P; notAfter: Date }>): Promise<P> {
    const now = this.#now();
    const known = this.#known.get(socket);
    if (known && now < known.until) return known.principal;

    this.#known.delete(socket);
    const { principal, notAfter } = await check();
    if (this.#recheckMs > 0) {
      this.#known.set(socket, {
        principal,
        until: Math.min(now + this.#recheckMs, notAfter.getTime()),
      });
    }
    return principal;
  }
}
