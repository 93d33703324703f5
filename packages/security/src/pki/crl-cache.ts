// A cache of CRLs keyed by issuer name; each CRL is kept until its nextUpdate.

import { systemClock, type Clock } from '@interop-blocks/core';
import type { Crl } from './crl.js';
import type { ComparableName } from './name-match.js';

/** Options of a {@link CrlCache}. */
export interface CrlCacheOptions {
  /** Source of "now" for expiry; default the system clock. */
  readonly clock?: Clock;
  /** How long a CRL without nextUpdate is kept, in milliseconds; default 1 hour. */
  readonly maxAgeWithoutNextUpdateMs?: number;
  /** Most CRLs kept; the one expiring first is dropped beyond it. Default 1000. */
  readonly maxEntries?: number;
}

interface Entry {
  readonly crl: Crl;
  readonly expiresAt: number;
}

/**
 * Keeps CRLs per issuer until their nextUpdate (by the clock). A newer CRL of the same issuer and
 * scope (issuing distribution point) replaces the older one.
 *
 * @example
 * ```ts
 * const cache = new CrlCache();
 * cache.add(parseCrl(pem));
 * await validateCertificatePath(leaf, { trustAnchors, revocation: { crlCache: cache } });
 * ```
 */
export class CrlCache {
  private readonly byIssuer = new Map<string, Entry[]>();
  private readonly clock: Clock;
  private readonly maxAgeWithoutNextUpdateMs: number;
  private readonly maxEntries: number;

  /** @param options clock, age limit for CRLs without nextUpdate, and size limit. */
  constructor(options: CrlCacheOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.maxAgeWithoutNextUpdateMs = options.maxAgeWithoutNextUpdateMs ?? 3_600_000;
    this.maxEntries = options.maxEntries ?? 1000;
  }

  /** Adds a CRL unless it is already past its nextUpdate or older than the one it would replace. */
  add(crl: Crl): void {
    const now = this.clock.now();
    const expiresAt = crl.nextUpdate?.getTime() ?? now + this.maxAgeWithoutNextUpdateMs;
    if (expiresAt <= now) return;

    const key = crl.issuerName.key;
    const entries = (this.byIssuer.get(key) ?? []).filter((e) => e.expiresAt > now);
    const scope = scopeKey(crl);
    const same = entries.find((e) => scopeKey(e.crl) === scope);
    if (same && same.crl.thisUpdate >= crl.thisUpdate) return;

    const kept = entries.filter((e) => e !== same);
    kept.push({ crl, expiresAt });
    this.byIssuer.set(key, kept);
    this.trim();
  }

  /** The unexpired CRLs issued under `issuer`. */
  get(issuer: ComparableName): Crl[] {
    const now = this.clock.now();
    const entries = this.byIssuer.get(issuer.key) ?? [];
    const live = entries.filter((e) => e.expiresAt > now);
    if (live.length !== entries.length) this.byIssuer.set(issuer.key, live);
    return live.map((e) => e.crl);
  }

  /** Number of unexpired CRLs held. */
  get size(): number {
    const now = this.clock.now();
    let count = 0;
    for (const entries of this.byIssuer.values()) {
      count += entries.filter((e) => e.expiresAt > now).length;
    }
    return count;
  }

  /** Drops every CRL. */
  clear(): void {
    this.byIssuer.clear();
  }

  private trim(): void {
    const all = [...this.byIssuer.entries()].flatMap(([key, entries]) =>
      entries.map((entry) => ({ key, entry })),
    );
    if (all.length <= this.maxEntries) return;
    all.sort((a, b) => a.entry.expiresAt - b.entry.expiresAt);
    for (const { key, entry } of all.slice(0, all.length - this.maxEntries)) {
      const left = (this.byIssuer.get(key) ?? []).filter((e) => e !== entry);
      if (left.length > 0) this.byIssuer.set(key, left);
      else this.byIssuer.delete(key);
    }
  }
}

/** CRLs of one issuer with different scopes (partitioned, delta) do not replace each other. */
function scopeKey(crl: Crl): string {
  const idp = crl.issuingDistributionPoint;
  return JSON.stringify([crl.isDelta, idp ?? null], (_k, v: unknown) =>
    v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v,
  );
}
