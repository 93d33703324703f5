// Binds an answer to the request it answers by the hash of the request's exact bytes.

import { createHash } from 'node:crypto';
import { SecurityError } from '../errors.js';

/** Message bytes; a string is taken as its UTF-8 encoding. */
export type MessageBytes = Uint8Array | string;

/**
 * The request hash: base64url (no padding) SHA-256 of the exact request body bytes, as carried
 * in an answer envelope's `requestHash` and a signed answer's `rqh` header.
 *
 * @param requestBody - the request body exactly as sent or received.
 * @example
 * ```ts
 * const answer = { ...envelope, requestHash: requestHash(rawRequestBytes) };
 * ```
 */
export function requestHash(requestBody: MessageBytes): string {
  return createHash('sha256').update(requestBody).digest('base64url');
}

/**
 * Returns a copy of `answer` carrying the hash of the request it answers.
 * @param answer - an answer envelope (or any object) that gets `requestHash`.
 * @param requestBody - the exact request body bytes.
 */
export function bindAnswerToRequest<A extends object>(
  answer: A,
  requestBody: MessageBytes,
): A & { requestHash: string } {
  return { ...answer, requestHash: requestHash(requestBody) };
}

/**
 * Proves that `answer` answers the request whose exact body is `requestBody`: its
 * `requestHash` must be the request hash and, when `requestId` is given, its `requestId` the id.
 *
 * @throws SecurityError `JWS_REQUEST_HASH_MISMATCH` (missing or different hash),
 *   `JWS_REQUEST_ID_MISMATCH`.
 */
export function verifyAnswerBinding(
  answer: { readonly requestHash?: unknown; readonly requestId?: unknown },
  requestBody: MessageBytes,
  requestId?: string,
): void {
  if (requestId !== undefined && answer.requestId !== requestId) {
    throw new SecurityError('JWS_REQUEST_ID_MISMATCH', 'The answer is for another request id.');
  }
  assertRequestHash(answer.requestHash, requestHash(requestBody));
}

/**
 * Compares a carried request hash with the expected one (hashes are public: no timing concern).
 * @throws SecurityError `JWS_REQUEST_HASH_MISMATCH`.
 */
export function assertRequestHash(carried: unknown, expected: string): void {
  if (carried !== expected) {
    throw new SecurityError(
      'JWS_REQUEST_HASH_MISMATCH',
      carried === undefined
        ? 'The answer carries no request hash.'
        : 'The answer carries the hash of another request.',
    );
  }
}
