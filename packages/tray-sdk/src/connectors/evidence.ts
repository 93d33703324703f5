// Hashes kept as evidence of an exchange: SHA-256 of the exact bytes, base64url.

import { createHash } from 'node:crypto';

/** Base64url SHA-256 of the exact bytes (the form of core's `requestHash`). */
export function sha256Base64url(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('base64url');
}
