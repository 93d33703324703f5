// The protected header of a signed request or answer, and its strict reading (RFC 7515 4, 5.2).

import { SecurityError } from '../errors.js';
import { assertAlgorithm, type JwsAlgorithm } from './jws-algorithms.js';

/** `typ` of a signed request (RFC 7515 4.1.9). */
export const JWS_TYPE_REQUEST = 'interop-request+jws';
/** `typ` of a signed answer; a request signature can never pass as an answer's. */
export const JWS_TYPE_ANSWER = 'interop-answer+jws';

/** The kind of message a signature is for. */
export type JwsMessageType = typeof JWS_TYPE_REQUEST | typeof JWS_TYPE_ANSWER;

/**
 * The protected header. Every parameter is integrity-protected; no other parameter is accepted
 * (no `crit`, `b64`, `jku`, `jwk`, `x5u`, `kid`), so no key can come from anywhere but `x5c`.
 */
export interface SignedMessageHeader {
  readonly alg: JwsAlgorithm;
  readonly typ: JwsMessageType;
  /** RFC 7515 4.1.6: signer certificate first, then its CAs, each base64 (not base64url) DER. */
  readonly x5c: readonly string[];
  /** The request id the message belongs to (private header parameter). */
  readonly rid: string;
  /** Signing time, seconds since the epoch (as RFC 7519 `iat`). */
  readonly iat: number;
  /** Answers only: the request hash of the request answered (private header parameter). */
  readonly rqh?: string;
}

// TODO(jws-audience): the signature binds body, request id and time, not the target (source or
// URL); a receiver must refuse a request id it has seen (idempotency), until core names a target.
const ALLOWED = new Set(['alg', 'typ', 'x5c', 'rid', 'iat', 'rqh']);
const MAX_CHAIN = 10;
const MAX_REQUEST_ID = 200;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const REQUEST_ID = /^[\x21-\x7e]+$/;
const REQUEST_HASH = /^[A-Za-z0-9_-]{43}$/;

/**
 * Reads and checks a decoded protected header: the algorithm first, then every parameter.
 *
 * @param value - the parsed JSON of the protected header.
 * @param expectedType - the `typ` the caller expects.
 * @param algorithms - the algorithms the caller accepts.
 * @throws SecurityError `JWS_ALGORITHM_FORBIDDEN`, `JWS_CERT_MISSING` (no `x5c`),
 *   `JWS_HEADER_INVALID` (missing, mistyped or extra parameter, wrong `typ`).
 */
export function readSignedHeader(
  value: unknown,
  expectedType: JwsMessageType,
  algorithms: readonly JwsAlgorithm[],
): SignedMessageHeader {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid('The protected header is not a JSON object.');
  }
  const header = value as Record<string, unknown>;
  // RFC 7515 5.2 step 5 and RFC 8725 3.1: the algorithm is checked before anything else.
  assertAlgorithm(header.alg, algorithms);

  const extra = Object.keys(header).filter((name) => !ALLOWED.has(name));
  if (extra.length > 0) {
    throw invalid('The protected header has parameters this profile does not allow.', {
      parameter: extra[0]?.slice(0, 20),
    });
  }
  if (header.typ !== expectedType) {
    throw invalid('The signature is for another kind of message.', { expected: expectedType });
  }
  if (header.x5c === undefined) {
    throw new SecurityError('JWS_CERT_MISSING', 'The protected header carries no x5c chain.');
  }
  if (!isChain(header.x5c)) throw invalid('The x5c parameter is not a list of base64 DER.');
  if (typeof header.rid !== 'string' || !isRequestId(header.rid)) {
    throw invalid('The rid parameter is missing or not a request id.');
  }
  if (typeof header.iat !== 'number' || !Number.isSafeInteger(header.iat) || header.iat < 0) {
    throw invalid('The iat parameter is missing or not whole seconds.');
  }
  checkRequestHash(header.rqh, expectedType);

  return header as unknown as SignedMessageHeader;
}

function checkRequestHash(rqh: unknown, type: JwsMessageType): void {
  if (type === JWS_TYPE_REQUEST && rqh !== undefined) {
    throw invalid('A request signature carries no rqh parameter.');
  }
  if (type === JWS_TYPE_ANSWER && (typeof rqh !== 'string' || !REQUEST_HASH.test(rqh))) {
    throw invalid('The rqh parameter is missing or not a base64url SHA-256.');
  }
}

function isChain(x5c: unknown): x5c is string[] {
  return (
    Array.isArray(x5c) &&
    x5c.length > 0 &&
    x5c.length <= MAX_CHAIN &&
    x5c.every((c) => typeof c === 'string' && BASE64.test(c))
  );
}

/** True for a request id this profile accepts: 1-200 printable ASCII characters, no spaces. */
export function isRequestId(value: string): boolean {
  return value.length <= MAX_REQUEST_ID && REQUEST_ID.test(value);
}

function invalid(message: string, context?: Record<string, string | undefined>): SecurityError {
  return new SecurityError('JWS_HEADER_INVALID', message, { context });
}
