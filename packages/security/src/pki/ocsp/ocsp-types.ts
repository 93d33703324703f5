// The status an OCSP check answers with, on the path validator's RevocationStatus contract.

import { reasonFromCode, type RevocationReason } from '../crl-reason.js';
import type { RevocationStatus } from '../revocation.js';

/** RFC 5280 5.3.1 CRLReason code of a reason name (the inverse of `reasonFromCode`). */
export function reasonCode(reason: RevocationReason): number {
  for (let code = 0; code <= 10; code++) if (reasonFromCode(code) === reason) return code;
  return 0;
}

/** Options of one OCSP check. */
export interface OcspCheckOptions {
  /** The time the certificate must be unrevoked at; default now. */
  time?: Date;
  signal?: AbortSignal;
}

/** What an OCSP check found, with the response's times. `revoked`, `unknown` are answers. */
export interface OcspStatus extends RevocationStatus {
  readonly source: 'ocsp';
  /** When the certificate was revoked (also set when revoked after the validation time). */
  readonly revokedAt?: Date;
  /** When the responder last knew the status to be correct (RFC 6960 4.2.2.1). */
  readonly thisUpdate: Date;
  /** When the answer stops being used: nextUpdate, or thisUpdate plus the freshness limit. */
  readonly validUntil: Date;
  /** When the response was signed. */
  readonly producedAt: Date;
  /** True when the answer came from the cache. */
  readonly cached: boolean;
}
