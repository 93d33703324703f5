// CRL reason codes (RFC 5280 5.3.1) and the ReasonFlags bits of distribution points (4.2.1.13).

/** Why a certificate was revoked, by its RFC 5280 name. */
export type RevocationReason =
  | 'unspecified'
  | 'keyCompromise'
  | 'cACompromise'
  | 'affiliationChanged'
  | 'superseded'
  | 'cessationOfOperation'
  | 'certificateHold'
  | 'removeFromCRL'
  | 'privilegeWithdrawn'
  | 'aACompromise';

/** CRLReason ENUMERATED values; 7 is not used. */
const BY_CODE: Readonly<Record<number, RevocationReason>> = {
  0: 'unspecified',
  1: 'keyCompromise',
  2: 'cACompromise',
  3: 'affiliationChanged',
  4: 'superseded',
  5: 'cessationOfOperation',
  6: 'certificateHold',
  8: 'removeFromCRL',
  9: 'privilegeWithdrawn',
  10: 'aACompromise',
};

/** The reason named by a CRLReason code, or undefined for an unknown code. */
export function reasonFromCode(code: number): RevocationReason | undefined {
  return BY_CODE[code];
}

/**
 * ReasonFlags bits 1..8 (keyCompromise .. aACompromise); bit 0 (unused) is not a reason. A CRL
 * without onlySomeReasons covers all of them (RFC 5280 6.3.3 (d)).
 */
export const ALL_REASONS_MASK = 0b1_1111_1110;
