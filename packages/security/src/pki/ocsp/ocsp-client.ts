// An OCSP client (RFC 6960): asks the responder, verifies the answer, caches it until nextUpdate.

import { systemClock, type Clock } from '@interop-blocks/core';
import type { Dispatcher } from 'undici';
import { SecurityError } from '../../errors.js';
import type { Certificate } from '../certificate.js';
import { buildOcspRequest } from './build-ocsp-request.js';
import type { CertIdHash } from './cert-id.js';
import { OcspCache, type CachedOcspAnswer } from './ocsp-cache.js';
import type { RevocationChecker } from '../revocation.js';
import type { OcspCheckOptions, OcspStatus } from './ocsp-types.js';
import { parseOcspResponse } from './parse-ocsp-response.js';
import { postOcspRequest } from './post-ocsp-request.js';
import {
  checkFreshness,
  checkNonce,
  findSingleResponse,
  readCertStatus,
  statusAt,
} from './read-single-response.js';
import { ocspResponderUrls } from './responder-url.js';
import { verifyOcspSigner } from './verify-ocsp-signer.js';

/** Options of an {@link OcspClient}. Every one has a default. */
export interface OcspClientOptions {
  /** undici dispatcher for the HTTP exchange; default undici's global dispatcher. */
  dispatcher?: Dispatcher;
  /**
   * Where to ask: a fixed URL, or a function of the certificate. Default: the first http(s) OCSP
   * URL of the certificate's AuthorityInfoAccess extension.
   */
  responderUrl?: string | ((cert: Certificate, issuer: Certificate) => string | undefined);
  /** Hash of the CertID; default `sha256`. Use `sha1` for RFC 5019 responders that need it. */
  certIdHash?: CertIdHash;
  /** Send a nonce and require it back (RFC 8954); default false (pre-produced responses). */
  nonce?: boolean;
  /** Timeout of one exchange in ms; default 10 000. */
  timeoutMs?: number;
  /** Largest response accepted in bytes; default 65 536. */
  maxResponseBytes?: number;
  /** Clock skew allowed on thisUpdate, nextUpdate and responder validity, ms; default 300 000. */
  clockSkewMs?: number;
  /** Oldest response accepted without nextUpdate, ms since thisUpdate; default 3 600 000. */
  maxAgeMs?: number;
  /** Answers kept in the cache; default 10 000, 0 disables caching. */
  maxCacheEntries?: number;
  /** Accept responses and responder certificates signed with SHA-1; default false. */
  allowSha1Signatures?: boolean;
  /**
   * How a delegated responder certificate without id-pkix-ocsp-nocheck is checked: another checker
   * (e.g. by CRL), or `skip`. Default: such a responder is refused.
   */
  responderRevocation?: RevocationChecker | 'skip';
  /** Source of "now" for freshness and the cache; default the system clock. */
  clock?: Clock;
}

/**
 * Checks certificates by OCSP and caches the verified answers.
 *
 * A response is used only when it is signed by the issuing CA or by a responder the CA delegated
 * to (id-kp-OCSPSigning), names the certificate asked about, and is fresh. `revoked` and `unknown`
 * are answers; failures to get a trustworthy answer are errors.
 *
 * @example
 * ```ts
 * const ocsp = new OcspClient({ timeoutMs: 5_000 });
 * const { status, reason } = await ocsp.check(leaf, issuingCa, { signal });
 * ```
 */
export class OcspClient implements RevocationChecker {
  readonly #options: OcspClientOptions;
  readonly #clock: Clock;
  readonly #cache: OcspCache;

  constructor(options: OcspClientOptions = {}) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    this.#cache = new OcspCache(options.maxCacheEntries ?? 10_000);
  }

  /**
   * Tells whether `cert`, issued by `issuer`, was revoked at `options.time` (default now).
   *
   * @param cert - the certificate to check.
   * @param issuer - the certificate of the CA that issued `cert` (already validated by the caller).
   * @param options - validation time and an AbortSignal.
   * @throws SecurityError `PKI_OCSP_NO_RESPONDER`, `PKI_OCSP_UNAVAILABLE`, `PKI_OCSP_REFUSED`,
   *   `PKI_OCSP_RESPONSE_INVALID`, `PKI_OCSP_SIGNER_UNAUTHORISED`, `PKI_OCSP_STALE`; the reason of
   *   `options.signal` when it aborts.
   */
  async check(
    cert: Certificate,
    issuer: Certificate,
    options: OcspCheckOptions = {},
  ): Promise<OcspStatus> {
    options.signal?.throwIfAborted();
    const now = this.#clock.now();
    const time = options.time ?? new Date(now);
    const url = this.#responderUrl(cert, issuer);
    const key = `${url} ${issuer.fingerprintSha256} ${cert.serialNumber}`;

    const cached = this.#cache.get(key, now);
    if (cached) return toStatus(cached, time, true);

    // TODO(ocsp): concurrent checks of one certificate each ask the responder; share in-flight
    // requests once a caller's abort can be kept from failing the others.
    const answer = await this.#ask(url, cert, issuer, options.signal);
    this.#cache.set(key, answer);
    return toStatus(answer, time, false);
  }

  /** Forgets every cached answer. */
  clearCache(): void {
    this.#cache.clear();
  }

  async #ask(
    url: string,
    cert: Certificate,
    issuer: Certificate,
    signal: AbortSignal | undefined,
  ): Promise<CachedOcspAnswer> {
    const opts = this.#options;
    const clockSkewMs = opts.clockSkewMs ?? 300_000;
    const maxAgeMs = opts.maxAgeMs ?? 3_600_000;
    const request = buildOcspRequest(cert, issuer, {
      certIdHash: opts.certIdHash ?? 'sha256',
      nonce: opts.nonce === true,
    });

    const body = await postOcspRequest(
      url,
      request.der,
      {
        timeoutMs: opts.timeoutMs ?? 10_000,
        maxResponseBytes: opts.maxResponseBytes ?? 65_536,
        ...(opts.dispatcher ? { dispatcher: opts.dispatcher } : {}),
      },
      signal,
    );
    const basic = parseOcspResponse(body);

    // RFC 6960 3.2 (2)-(4): a valid signature by the CA or a responder it authorised.
    const now = new Date(this.#clock.now());
    await verifyOcspSigner(basic, issuer, {
      now,
      clockSkewMs,
      allowSha1: opts.allowSha1Signatures === true,
      ...(opts.responderRevocation ? { responderRevocation: opts.responderRevocation } : {}),
      ...(signal ? { signal } : {}),
    });
    // RFC 6960 3.2 (1): about the certificate asked; RFC 8954: our nonce back, if one was sent.
    const single = findSingleResponse(basic, cert, issuer);
    if (request.nonce) checkNonce(basic, request.nonce);
    // RFC 6960 3.2 (5), (6): fresh enough.
    checkFreshness(single, { now, clockSkewMs, maxAgeMs });

    const expiresAt = single.nextUpdate
      ? single.nextUpdate.getTime()
      : single.thisUpdate.getTime() + maxAgeMs;
    return {
      status: readCertStatus(single),
      thisUpdate: single.thisUpdate,
      ...(single.nextUpdate ? { nextUpdate: single.nextUpdate } : {}),
      producedAt: basic.tbsResponseData.producedAt,
      expiresAt,
    };
  }

  #responderUrl(cert: Certificate, issuer: Certificate): string {
    const configured = this.#options.responderUrl;
    const url =
      typeof configured === 'string'
        ? configured
        : typeof configured === 'function'
          ? configured(cert, issuer)
          : ocspResponderUrls(cert)[0];
    if (!url) {
      throw new SecurityError(
        'PKI_OCSP_NO_RESPONDER',
        'The certificate names no OCSP responder and none is configured.',
        { context: { issuer: issuer.fingerprintSha256 } },
      );
    }
    return url;
  }
}

function toStatus(answer: CachedOcspAnswer, time: Date, cached: boolean): OcspStatus {
  return {
    ...statusAt(answer.status, time),
    source: 'ocsp',
    thisUpdate: answer.thisUpdate,
    ...(answer.nextUpdate ? { nextUpdate: answer.nextUpdate } : {}),
    validUntil: new Date(answer.expiresAt),
    producedAt: answer.producedAt,
    cached,
  };
}
