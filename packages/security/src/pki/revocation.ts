// Revocation contracts: the pluggable RevocationChecker (CRL here, OCSP elsewhere) and options.

import type { Dispatcher } from 'undici';
import type { Certificate } from './certificate.js';
import type { Crl } from './crl.js';
import type { CrlCache } from './crl-cache.js';
import type { RevocationReason } from './crl-reason.js';

/** The revocation status of one certificate at one time. */
export interface RevocationStatus {
  readonly status: 'good' | 'revoked' | 'unknown';
  /** Why it was revoked, when known. */
  readonly reason?: RevocationReason;
  /** Where the answer came from, e.g. `crl`, `ocsp`. */
  readonly source: string;
  /** Until when the answer may be reused (a CRL's nextUpdate). */
  readonly validUntil?: Date;
  /** An OCSP response's nextUpdate; read like `validUntil` when that is absent. */
  readonly nextUpdate?: Date;
}

/**
 * A source of revocation status for a certificate and its issuer, e.g. an OCSP client. The path
 * validator consults its CRLs first and then each checker in order, until one answers `good` or
 * `revoked`.
 */
export interface RevocationChecker {
  /**
   * Returns the status of `cert`, issued by `issuer`, at `time`. A source that cannot answer
   * returns `unknown` or throws; the validator treats both as `unknown` and keeps the error as
   * the cause of `PKI_REVOCATION_UNKNOWN`.
   */
  check(
    cert: Certificate,
    issuer: Certificate,
    options: { time: Date; signal?: AbortSignal },
  ): Promise<RevocationStatus>;
}

/** A function that fetches over HTTP, shaped like the global `fetch`. */
export type FetchFunction = (
  url: string,
  init: { signal?: AbortSignal; headers?: Record<string, string> },
) => Promise<{
  ok: boolean;
  status: number;
  arrayBuffer(): Promise<ArrayBuffer>;
  headers: { get(name: string): string | null };
}>;

/** How CRLs are fetched from the certificates' cRLDistributionPoints. */
export interface CrlFetchOptions {
  /** An undici dispatcher (connection pool, proxy, interceptors) for the default fetch. */
  readonly dispatcher?: Dispatcher;
  /** A fetch function to use instead of undici's fetch. */
  readonly fetch?: FetchFunction;
  /** Time limit per fetch in milliseconds; default 10 000. */
  readonly timeoutMs?: number;
  /** Largest CRL accepted in bytes; default 10 MiB. */
  readonly maxBytes?: number;
}

/**
 * What to do about revocation.
 * - `require` (default): every certificate below the anchor must be `good`; otherwise
 *   `PKI_REVOCATION_UNKNOWN`.
 * - `prefer`: `revoked` refuses; `unknown` is accepted.
 * - `off`: no revocation checking.
 */
export type RevocationMode = 'require' | 'prefer' | 'off';

/** Revocation settings of a validation. */
export interface RevocationOptions {
  /** Default `require`. */
  readonly mode?: RevocationMode;
  /** Further sources after the CRLs, e.g. an OCSP client; consulted in order. */
  readonly checkers?: readonly RevocationChecker[];
  /** Fetch CRLs over HTTP from cRLDistributionPoints when none is at hand; default off. */
  readonly fetchCrls?: boolean | CrlFetchOptions;
  /** A CRL cache shared across validations; fetched CRLs are kept there. */
  readonly crlCache?: CrlCache;
}

/** CRLs handed to one validation, beside those in the cache. */
export type CrlList = readonly Crl[];
