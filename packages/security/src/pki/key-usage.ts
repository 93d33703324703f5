// The named bits of the keyUsage extension (RFC 5280 4.2.1.3).

/** A keyUsage bit by its RFC 5280 name. */
export type KeyUsageName =
  | 'digitalSignature'
  | 'nonRepudiation'
  | 'keyEncipherment'
  | 'dataEncipherment'
  | 'keyAgreement'
  | 'keyCertSign'
  | 'cRLSign'
  | 'encipherOnly'
  | 'decipherOnly';

/** Bit positions in ASN.1 order (bit 0 first); `nonRepudiation` is also contentCommitment. */
export const KEY_USAGE_BITS: readonly KeyUsageName[] = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
];

/** The names of the bits set in a named-bit mask. */
export function keyUsageNames(mask: number): Set<KeyUsageName> {
  return new Set(KEY_USAGE_BITS.filter((_, bit) => (mask >> bit) & 1));
}
