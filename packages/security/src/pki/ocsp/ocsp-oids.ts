// Object identifiers used by the OCSP client and responder (RFC 6960, RFC 5280, RFC 8954).

/** id-pkix-ocsp-basic: the only response type this client accepts (RFC 6960 4.2.1). */
export const OID_OCSP_BASIC = '1.3.6.1.5.5.7.48.1.1';
/** id-pkix-ocsp-nonce (RFC 6960 4.4.1, RFC 8954). */
export const OID_OCSP_NONCE = '1.3.6.1.5.5.7.48.1.2';
/** id-pkix-ocsp-nocheck: the responder certificate need not be checked (RFC 6960 4.2.2.2.1). */
export const OID_OCSP_NOCHECK = '1.3.6.1.5.5.7.48.1.5';
/** id-kp-OCSPSigning (RFC 5280 4.2.1.12). */
export const OID_KP_OCSP_SIGNING = '1.3.6.1.5.5.7.3.9';
/** id-ad-ocsp: access method of an OCSP responder in AuthorityInfoAccess (RFC 5280 4.2.2.1). */
export const OID_AD_OCSP = '1.3.6.1.5.5.7.48.1';
/** id-pe-authorityInfoAccess (RFC 5280 4.2.2.1). */
export const OID_AUTHORITY_INFO_ACCESS = '1.3.6.1.5.5.7.1.1';

/** Hash algorithms accepted in a CertID, by OID, with their node:crypto names. */
export const CERT_ID_HASHES: Readonly<Record<string, 'sha1' | 'sha256' | 'sha384' | 'sha512'>> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

/** OID of a hash algorithm by its node:crypto name. */
export const HASH_OIDS = {
  sha1: '1.3.14.3.2.26',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
} as const;
