// The JSON binding's transport checks: a JSON object body and its detached JWS signature.

import { InteropError } from '@interop-blocks/core';
import type { JwsVerifier, Principal } from '@interop-blocks/security';
import { IoError } from '../errors.js';

/**
 * Parses the body of a JSON query.
 * @throws IoError `IO_JSON_MALFORMED` unless the body is a JSON object.
 */
export function parseJsonObject(body: Buffer): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      return value as Record<string, unknown>;
    }
  } catch {
    // fall through to the refusal
  }
  throw new IoError('IO_JSON_MALFORMED', 'The body is not a JSON object.');
}

/** A JSON query's signature as received: the header value and what it must cover. */
export interface JwsQuery {
  body: Buffer;
  signature: string | undefined;
  /** The parsed body, for its request id. */
  parsed: Record<string, unknown>;
  signal?: AbortSignal;
}

/**
 * Verifies the detached JWS over the exact body bytes and returns the signer's principal
 * (undefined when the verifier maps none).
 *
 * @throws IoError `IO_SIGNATURE_MISSING`, `IO_SIGNATURE_INVALID` (`context.jwsCode`).
 */
export async function verifyJwsQuery(
  verifier: JwsVerifier<Principal>,
  query: JwsQuery,
): Promise<Principal | undefined> {
  if (query.signature === undefined || query.signature === '') {
    throw new IoError('IO_SIGNATURE_MISSING', 'The query carries no signature.');
  }
  const requestId = query.parsed.requestId;
  try {
    const verified = await verifier.verifyRequest(query.signature, {
      body: query.body,
      requestId: typeof requestId === 'string' ? requestId : '',
      signal: query.signal,
    });
    return verified.principal;
  } catch (err) {
    if (!InteropError.is(err)) throw err;
    throw new IoError('IO_SIGNATURE_INVALID', 'The query signature does not verify.', {
      context: { jwsCode: err.code },
      cause: err,
    });
  }
}
