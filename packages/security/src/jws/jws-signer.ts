// Signs request and answer bodies as detached compact JWS (RFC 7515 Appendix F) with jose.

import { createPublicKey, type KeyObject } from 'node:crypto';
import { CompactSign } from 'jose';
import { systemClock, type Clock } from '@interop-blocks/core';
import { SecurityError } from '../errors.js';
import type { Certificate } from '../pki/certificate.js';
import { assertAlgorithm, assertKeyFits, type JwsAlgorithm } from './jws-algorithms.js';
import {
  isRequestId,
  JWS_TYPE_ANSWER,
  JWS_TYPE_REQUEST,
  type JwsMessageType,
  type SignedMessageHeader,
} from './jws-header.js';
import { requestHash, type MessageBytes } from './request-hash.js';

/** Options of {@link JwsSigner}. */
export interface JwsSignerOptions {
  /** The signer's private key; it must belong to the first certificate of the chain. */
  key: KeyObject;
  /** Signer certificate first, then its CAs (the trust anchor may be left out); sent as `x5c`. */
  certificateChain: readonly Certificate[];
  /** Default `ES256`; `PS256` and `RS256` need an RSA key of 2048 bits or more. */
  algorithm?: JwsAlgorithm;
  /** Source of `iat`; default the system clock. */
  clock?: Clock;
}

/** What an answer signature binds to: the request's exact body, or its request hash. */
export type AnswerBinding =
  | { readonly requestBody: MessageBytes; readonly requestHash?: never }
  | { readonly requestHash: string; readonly requestBody?: never };

/**
 * Signs message bodies as detached compact JWS: `BASE64URL(header)..BASE64URL(signature)`, the
 * payload being the exact body bytes (RFC 7515 Appendix F). The protected header binds the
 * request id (`rid`), the signing time (`iat`), the message kind (`typ`) and, for answers, the
 * hash of the request answered (`rqh`); the signer chain travels in `x5c`.
 *
 * @example
 * ```ts
 * const signer = new JwsSigner({ key, certificateChain: [leaf, intermediate] });
 * const signature = await signer.signRequest(bodyBytes, { requestId });
 * const headers = { 'interop-jws-signature': signature };
 * await request(url, { method: 'POST', body: bodyBytes, headers });
 * ```
 */
export class JwsSigner {
  readonly #key: KeyObject;
  readonly #alg: JwsAlgorithm;
  readonly #x5c: readonly string[];
  readonly #clock: Clock;

  /**
   * @throws SecurityError `JWS_ALGORITHM_FORBIDDEN`, `JWS_CERT_MISSING` (empty chain),
   *   `JWS_KEY_MISMATCH` (key unfit for the algorithm, or not the key of the first certificate).
   */
  constructor(options: JwsSignerOptions) {
    const alg = options.algorithm ?? 'ES256';
    assertAlgorithm(alg);
    const leaf = options.certificateChain[0];
    if (!leaf) throw new SecurityError('JWS_CERT_MISSING', 'A signer needs its certificate.');
    assertKeyFits(alg, options.key);
    if (!sameKey(options.key, leaf.publicKey)) {
      throw new SecurityError('JWS_KEY_MISMATCH', 'The key does not belong to the certificate.');
    }

    this.#key = options.key;
    this.#alg = alg;
    this.#x5c = Object.freeze(
      options.certificateChain.map((c) => Buffer.from(c.der).toString('base64')),
    );
    this.#clock = options.clock ?? systemClock;
  }

  /**
   * Signs a request body for `requestId`.
   * @returns the detached compact JWS.
   * @throws SecurityError `JWS_HEADER_INVALID` for a request id that is not 1-200 printable
   *   ASCII characters.
   */
  signRequest(body: MessageBytes, options: { requestId: string }): Promise<string> {
    return this.#sign(body, JWS_TYPE_REQUEST, options.requestId);
  }

  /**
   * Signs an answer body for `requestId`, bound to the request by its request hash.
   * @throws SecurityError `JWS_HEADER_INVALID` (bad request id), `JWS_REQUEST_HASH_MISMATCH`
   *   (a given `requestHash` that is not a base64url SHA-256).
   */
  signAnswer(body: MessageBytes, options: { requestId: string } & AnswerBinding): Promise<string> {
    const rqh =
      options.requestBody !== undefined ? requestHash(options.requestBody) : options.requestHash;
    if (!/^[A-Za-z0-9_-]{43}$/.test(rqh)) {
      throw new SecurityError('JWS_REQUEST_HASH_MISMATCH', 'The request hash is not a SHA-256.');
    }
    return this.#sign(body, JWS_TYPE_ANSWER, options.requestId, rqh);
  }

  async #sign(body: MessageBytes, typ: JwsMessageType, rid: string, rqh?: string): Promise<string> {
    if (!isRequestId(rid)) {
      throw new SecurityError('JWS_HEADER_INVALID', 'The request id cannot be signed as rid.');
    }
    const header: SignedMessageHeader = {
      alg: this.#alg,
      typ,
      x5c: [...this.#x5c],
      rid,
      iat: Math.floor(this.#clock.now() / 1000),
      ...(rqh === undefined ? {} : { rqh }),
    };
    const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;

    const compact = await new CompactSign(bytes)
      .setProtectedHeader({ ...header, x5c: [...header.x5c] })
      .sign(this.#key);
    // RFC 7515 Appendix F: the payload part is left empty; the receiver has the body.
    const [protectedPart, , signature] = compact.split('.');
    return `${protectedPart}..${signature}`;
  }
}

function sameKey(privateKey: KeyObject, publicKey: KeyObject): boolean {
  if (privateKey.type !== 'private') return false;
  const derived = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  return derived.equals(publicKey.export({ format: 'der', type: 'spki' }));
}
