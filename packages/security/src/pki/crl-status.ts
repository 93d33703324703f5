// RFC 5280 6.3.3: the status of one certificate from a set of complete CRLs, reasons accumulated.

import { SecurityError } from '../errors.js';
import type { Certificate } from './certificate.js';
import type { Crl, CrlEntry } from './crl.js';
import { ALL_REASONS_MASK } from './crl-reason.js';
import { crlScope } from './crl-scope.js';
import type { RevocationStatus } from './revocation.js';

/** Verifies a CRL's signature with a validated signer (RFC 5280 6.3.3 (f), (g)). */
export type CrlSignatureCheck = (crl: Crl) => Promise<boolean>;

/** Reasons whose revocation reaches back before the revocation date (a compromised key). */
const COMPROMISE = new Set(['keyCompromise', 'cACompromise', 'aACompromise', 'unspecified']);

/**
 * The status of `cert` from `crls` at `time`: `revoked` as soon as a usable CRL lists it,
 * `good` once usable CRLs cover every reason (6.3.3 (j)), `unknown` otherwise — with a
 * `PKI_CRL_INVALID` error saying why the first CRL of the certificate's issuer was not usable.
 */
export async function crlStatus(
  cert: Certificate,
  crls: readonly Crl[],
  time: Date,
  verify: CrlSignatureCheck,
): Promise<{ status: RevocationStatus; rejection?: SecurityError }> {
  let reasonsMask = 0;
  let validUntil: Date | undefined;
  let rejection: SecurityError | undefined;
  const reject = (crl: Crl, reason: string) => {
    rejection ??= new SecurityError('PKI_CRL_INVALID', 'A CRL was found but cannot be used.', {
      context: { reason, crl: crl.fingerprintSha256 },
    });
  };
  const newestFirst = [...crls].sort((a, b) => b.thisUpdate.getTime() - a.thisUpdate.getTime());

  for (const crl of newestFirst) {
    const scope = crlScope(crl, cert, time);
    if (!scope.usable) {
      // Another issuer's CRL is simply not for this certificate.
      if (scope.why !== 'issuer') reject(crl, scope.why);
      continue;
    }
    // 5.3: a critical entry extension that is not processed makes the whole CRL unusable.
    if ([...crl.entries.values()].some((e) => e.unknownCritical.length > 0)) {
      reject(crl, 'unknown-critical-entry-extension');
      continue;
    }
    // (e): the CRL must add reasons not yet covered.
    if ((scope.reasons & ~reasonsMask) === 0) continue;
    // (f), (g): a signature by a validated CRL issuer with cRLSign.
    if (!(await verify(crl))) {
      reject(crl, 'signature-or-signer');
      continue;
    }

    // (i): the certificate is listed.
    const entry = crl.entries.get(cert.serialNumber);
    if (entry && revokedAt(entry, time)) {
      return { status: { status: 'revoked', reason: entry.reason, source: 'crl' } };
    }

    // (d): reasons_mask grows by the interim reasons.
    reasonsMask |= scope.reasons;
    if (crl.nextUpdate && (!validUntil || crl.nextUpdate < validUntil)) validUntil = crl.nextUpdate;
    if ((reasonsMask & ALL_REASONS_MASK) === ALL_REASONS_MASK) {
      return { status: { status: 'good', source: 'crl', validUntil } };
    }
  }
  return { status: { status: 'unknown', source: 'crl' }, rejection };
}

/**
 * A listed certificate counts as revoked at `time` when revoked by then, or at any time for a
 * compromise (the key may have been misused before the CRL said so). removeFromCRL (delta CRLs)
 * lifts a hold.
 */
function revokedAt(entry: CrlEntry, time: Date): boolean {
  if (entry.reason === 'removeFromCRL') return false;
  return entry.revocationDate <= time || COMPROMISE.has(entry.reason ?? 'unspecified');
}
