// Reads a JWS-signed JSON body: parses it, verifies the signature and binds the signer to the peer.

import { InteropError } from '@interop-blocks/core';
import { organisationOf, type JwsVerifier, type Principal } from '@interop-blocks/security';
import { AsyncError } from '../errors.js';
import { checkBody, type BodyKind } from './body-schemas.js';

/** One signed body as received. */
export interface SignedBodyInput {
  kind: BodyKind;
  consumer: Principal;
  body: unknown;
  signature: string | string[] | undefined;
  verifier: JwsVerifier<Principal>;
  signal?: AbortSignal;
}

/**
 * Returns the checked body of a signed request. The JWS binds the body's `messageId`.
 *
 * @throws AsyncError `ASYNC_CONTENT_TYPE`, `ASYNC_JSON_MALFORMED`, `ASYNC_SIGNATURE_MISSING`,
 *   `ASYNC_SIGNATURE_INVALID`, `ASYNC_SIGNER_MISMATCH`, `ASYNC_BODY_INVALID`.
 */
export async function readSignedBody<T>(input: SignedBodyInput): Promise<T> {
  if (!Buffer.isBuffer(input.body)) {
    throw new AsyncError('ASYNC_CONTENT_TYPE', 'Signed bodies are sent as application/json.');
  }
  const parsed = parseJsonObject(input.body);
  const signature = input.signature;
  if (typeof signature !== 'string' || signature === '') {
    throw new AsyncError('ASYNC_SIGNATURE_MISSING', 'The body carries no signature.');
  }

  const messageId = parsed.messageId;
  let signer: Principal | undefined;
  try {
    const verified = await input.verifier.verifyRequest(signature, {
      body: input.body,
      requestId: typeof messageId === 'string' ? messageId : '',
      signal: input.signal,
    });
    signer = verified.principal;
  } catch (err) {
    if (!InteropError.is(err)) throw err;
    throw new AsyncError('ASYNC_SIGNATURE_INVALID', 'The body signature does not verify.', {
      context: { jwsCode: err.code },
      cause: err,
    });
  }
  if (!signer || organisationOf(signer) !== organisationOf(input.consumer)) {
    throw new AsyncError('ASYNC_SIGNER_MISMATCH', 'The body was signed by another organisation.');
  }

  return checkBody<T>(input.kind, parsed);
}

function parseJsonObject(body: Buffer): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      return value as Record<string, unknown>;
    }
  } catch {
    // fall through to the refusal
  }
  throw new AsyncError('ASYNC_JSON_MALFORMED', 'The body is not a JSON object.');
}
