// Calls a principal lookup; a lookup that throws "unknown principal" counts as no principal.

import { InteropError } from '@interop-blocks/core';
import type { Certificate } from '../pki/certificate.js';
import type { PrincipalResolver } from './chain-validator.js';

/**
 * The principal of a validated certificate, or `undefined`. A resolver that throws
 * `QC_PRINCIPAL_UNKNOWN` (e.g. `PrincipalDirectory.resolve`) is treated as one that returns
 * `undefined`; other errors pass through.
 */
export async function resolvePrincipalOf<P>(
  resolve: PrincipalResolver<P>,
  certificate: Certificate,
): Promise<P | undefined> {
  try {
    return await resolve(certificate);
  } catch (error) {
    if (InteropError.is(error, 'QC_PRINCIPAL_UNKNOWN')) return undefined;
    throw error;
  }
}
