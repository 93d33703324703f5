// The XML-DSig digest and signature algorithms this package accepts; node:crypto does the work.

import { constants, createHash, sign, verify, type KeyObject } from 'node:crypto';
import { SecurityError } from '../errors.js';

/** A digest method (XML-DSig 1.1 section 6.2). */
export interface XmlDigestAlgorithm {
  readonly uri: string;
  /** Node hash name. */
  readonly hash: string;
  /** SHA-1: refused unless the caller allows it. */
  readonly weak: boolean;
}

/** A signature method (XML-DSig 1.1 section 6.4). */
export interface XmlSignatureAlgorithm {
  readonly uri: string;
  readonly hash: string;
  readonly keyType: 'rsa' | 'ec';
  readonly weak: boolean;
  /** RSASSA-PSS with MGF1 of the same hash and a salt as long as the hash (RFC 6931 2.3.10). */
  readonly pss?: boolean;
}

const MORE = 'http://www.w3.org/2001/04/xmldsig-more#';
const MORE_2007 = 'http://www.w3.org/2007/05/xmldsig-more#';

const DIGESTS: readonly XmlDigestAlgorithm[] = [
  { uri: 'http://www.w3.org/2000/09/xmldsig#sha1', hash: 'sha1', weak: true },
  { uri: 'http://www.w3.org/2001/04/xmlenc#sha256', hash: 'sha256', weak: false },
  { uri: `${MORE}sha384`, hash: 'sha384', weak: false },
  { uri: 'http://www.w3.org/2001/04/xmlenc#sha512', hash: 'sha512', weak: false },
];

const SIGNATURES: readonly XmlSignatureAlgorithm[] = [
  { uri: 'http://www.w3.org/2000/09/xmldsig#rsa-sha1', hash: 'sha1', keyType: 'rsa', weak: true },
  { uri: `${MORE}rsa-sha256`, hash: 'sha256', keyType: 'rsa', weak: false },
  { uri: `${MORE}rsa-sha384`, hash: 'sha384', keyType: 'rsa', weak: false },
  { uri: `${MORE}rsa-sha512`, hash: 'sha512', keyType: 'rsa', weak: false },
  { uri: `${MORE}ecdsa-sha1`, hash: 'sha1', keyType: 'ec', weak: true },
  { uri: `${MORE}ecdsa-sha256`, hash: 'sha256', keyType: 'ec', weak: false },
  { uri: `${MORE}ecdsa-sha384`, hash: 'sha384', keyType: 'ec', weak: false },
  { uri: `${MORE}ecdsa-sha512`, hash: 'sha512', keyType: 'ec', weak: false },
  { uri: `${MORE_2007}sha256-rsa-MGF1`, hash: 'sha256', keyType: 'rsa', weak: false, pss: true },
  { uri: `${MORE_2007}sha384-rsa-MGF1`, hash: 'sha384', keyType: 'rsa', weak: false, pss: true },
  { uri: `${MORE_2007}sha512-rsa-MGF1`, hash: 'sha512', keyType: 'rsa', weak: false, pss: true },
];

const digestByUri = new Map(DIGESTS.map((d) => [d.uri, d]));
const signatureByUri = new Map(SIGNATURES.map((s) => [s.uri, s]));

/** SHA-256 digest method URI, the default for signing. */
export const SHA256_DIGEST = 'http://www.w3.org/2001/04/xmlenc#sha256';
/** RSA PKCS#1 v1.5 with SHA-256 (RFC 6931 2.3.2). */
export const RSA_SHA256 = `${MORE}rsa-sha256`;
/** ECDSA with SHA-256 (RFC 6931 2.3.6; XML-DSig 1.1 section 6.4.3). */
export const ECDSA_SHA256 = `${MORE}ecdsa-sha256`;
/** RSASSA-PSS with SHA-256 and MGF1 (RFC 6931 2.3.10). */
export const RSA_PSS_SHA256 = `${MORE_2007}sha256-rsa-MGF1`;

/**
 * Looks up a digest method the policy allows.
 * @throws SecurityError `XML_ALGORITHM_FORBIDDEN` (unknown, or SHA-1 without `allowSha1`).
 */
export function digestAlgorithm(uri: string, allowSha1: boolean): XmlDigestAlgorithm {
  const found = digestByUri.get(uri);
  if (!found || (found.weak && !allowSha1)) {
    throw new SecurityError('XML_ALGORITHM_FORBIDDEN', 'The digest method is not allowed.', {
      context: { algorithm: uri },
    });
  }
  return found;
}

/**
 * Looks up a signature method the policy allows.
 * @throws SecurityError `XML_ALGORITHM_FORBIDDEN` (unknown, HMAC, or SHA-1 without `allowSha1`).
 */
export function signatureAlgorithm(uri: string, allowSha1: boolean): XmlSignatureAlgorithm {
  const found = signatureByUri.get(uri);
  if (!found || (found.weak && !allowSha1)) {
    throw new SecurityError('XML_ALGORITHM_FORBIDDEN', 'The signature method is not allowed.', {
      context: { algorithm: uri },
    });
  }
  return found;
}

/** Digest of canonical octets (UTF-8). */
export function digestBytes(algorithm: XmlDigestAlgorithm, canonical: string): Buffer {
  return createHash(algorithm.hash).update(canonical, 'utf8').digest();
}

/**
 * Checks that a key can make or check signatures of an algorithm.
 * @throws SecurityError `XML_KEY_TYPE_MISMATCH` (RSA key for ECDSA, RSA under `minRsaBits`, ...).
 */
export function assertKeyFits(
  key: KeyObject,
  algorithm: XmlSignatureAlgorithm,
  minRsaBits: number,
): void {
  const type = key.asymmetricKeyType;
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  // An RSASSA-PSS key (RFC 4055 id-RSASSA-PSS) may only make PSS signatures.
  const fits = type === algorithm.keyType || (algorithm.pss === true && type === 'rsa-pss');
  if (!fits || (type !== 'ec' && bits < minRsaBits)) {
    throw new SecurityError('XML_KEY_TYPE_MISMATCH', 'The key does not fit the signature method.', {
      context: { algorithm: algorithm.uri, keyType: type ?? null, bits },
    });
  }
}

/** The signature method for a private key: RSA -> rsa-sha256, EC -> ecdsa-shaN for its curve. */
export function defaultSignatureAlgorithm(key: KeyObject): XmlSignatureAlgorithm {
  if (key.asymmetricKeyType === 'rsa') return signatureAlgorithm(RSA_SHA256, false);
  if (key.asymmetricKeyType === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    const size = curve === 'secp384r1' ? 384 : curve === 'secp521r1' ? 512 : 256;
    return signatureAlgorithm(`${MORE}ecdsa-sha${size}`, false);
  }
  throw new SecurityError('XML_KEY_TYPE_MISMATCH', 'Only RSA and EC keys can sign XML.', {
    context: { keyType: key.asymmetricKeyType ?? null },
  });
}

// XML-DSig 1.1 section 6.4.3: an ECDSA SignatureValue is r || s, each as long as the group
// order (RFC 4050 section 3.3); node calls that encoding 'ieee-p1363'.
const dsaEncoding = 'ieee-p1363';

// RFC 6931 2.3.10: the *-rsa-MGF1 methods fix MGF1 with the same hash and the salt length to
// the hash length; node calls that salt length RSA_PSS_SALTLEN_DIGEST.
const pss = {
  padding: constants.RSA_PKCS1_PSS_PADDING,
  saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
};

/** Signs canonical SignedInfo octets. */
export function signBytes(algorithm: XmlSignatureAlgorithm, key: KeyObject, data: string): Buffer {
  const input = Buffer.from(data, 'utf8');
  if (algorithm.keyType === 'ec') return sign(algorithm.hash, input, { key, dsaEncoding });
  if (algorithm.pss) return sign(algorithm.hash, input, { key, ...pss });
  return sign(algorithm.hash, input, key);
}

/** Checks a SignatureValue over canonical SignedInfo octets; false for any malformed value. */
export function verifyBytes(
  algorithm: XmlSignatureAlgorithm,
  key: KeyObject,
  data: string,
  signature: Uint8Array,
): boolean {
  const input = Buffer.from(data, 'utf8');
  try {
    if (algorithm.keyType === 'ec') {
      return verify(algorithm.hash, input, { key, dsaEncoding }, signature);
    }
    if (algorithm.pss) return verify(algorithm.hash, input, { key, ...pss }, signature);
    return verify(algorithm.hash, input, key, signature);
  } catch {
    return false;
  }
}
