// Verifies the signature of a certificate or CRL with an issuer key (RSA, RSA-PSS, ECDSA, EdDSA).

import { constants, verify, type KeyObject } from 'node:crypto';
import type * as pkijs from 'pkijs';
import { SecurityError } from '../errors.js';
import { children, contextTag, DerShapeError, oid, parseDer, smallInteger } from './der-read.js';

/** What is signed: the to-be-signed bytes, the algorithm and the signature value. */
export interface SignedObject {
  readonly tbsView: Uint8Array;
  readonly signatureAlgorithm: pkijs.AlgorithmIdentifier;
  readonly signatureValue: { valueBlock: { valueHexView: Uint8Array } };
}

/** Options of signature verification. */
export interface SignatureOptions {
  /** Accept SHA-1 based signatures (default false: refused as too weak). */
  readonly allowSha1?: boolean;
}

const HASH_BY_OID: Readonly<Record<string, string>> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

/** Signature algorithms with a fixed hash: PKCS #1 v1.5 (RFC 4055), ECDSA (RFC 5758), EdDSA. */
const FIXED: Readonly<Record<string, { hash: string | null; family: 'rsa' | 'ec' | 'ed' }>> = {
  '1.2.840.113549.1.1.5': { hash: 'sha1', family: 'rsa' },
  '1.2.840.113549.1.1.14': { hash: 'sha224', family: 'rsa' },
  '1.2.840.113549.1.1.11': { hash: 'sha256', family: 'rsa' },
  '1.2.840.113549.1.1.12': { hash: 'sha384', family: 'rsa' },
  '1.2.840.113549.1.1.13': { hash: 'sha512', family: 'rsa' },
  '1.2.840.10045.4.1': { hash: 'sha1', family: 'ec' },
  '1.2.840.10045.4.3.1': { hash: 'sha224', family: 'ec' },
  '1.2.840.10045.4.3.2': { hash: 'sha256', family: 'ec' },
  '1.2.840.10045.4.3.3': { hash: 'sha384', family: 'ec' },
  '1.2.840.10045.4.3.4': { hash: 'sha512', family: 'ec' },
  '1.3.101.112': { hash: null, family: 'ed' },
  '1.3.101.113': { hash: null, family: 'ed' },
};

// TODO(pki-dsa): DSA (and its parameter inheritance, RFC 5280 6.1.4 (e)) is refused as withdrawn.
const RSA_PSS = '1.2.840.113549.1.1.10';
const MGF1 = '1.2.840.113549.1.1.8';

/**
 * True when the signature of `signed` verifies with `key`.
 *
 * @throws SecurityError `PKI_ALGORITHM_UNSUPPORTED` for DSA, MD5, unknown algorithms, PSS with a
 *   different MGF1 hash, and SHA-1 unless allowed.
 */
export function verifySignature(
  signed: SignedObject,
  key: KeyObject,
  options: SignatureOptions = {},
): boolean {
  const algorithm = signed.signatureAlgorithm.algorithmId;
  const signature = signed.signatureValue.valueBlock.valueHexView;
  const { hash, padding } = resolve(signed.signatureAlgorithm);
  if (hash === 'sha1' && !options.allowSha1) {
    throw unsupported(algorithm, 'SHA-1 signatures are refused');
  }

  try {
    if (padding) return verify(hash, signed.tbsView, { key, ...padding }, signature);
    return verify(hash, signed.tbsView, key, signature);
  } catch {
    // A key of another type than the algorithm, or a malformed signature value.
    return false;
  }
}

type Resolved = {
  hash: string | null;
  padding?: { padding: number; saltLength: number };
};

function resolve(alg: pkijs.AlgorithmIdentifier): Resolved {
  const fixed = FIXED[alg.algorithmId];
  if (fixed) return { hash: fixed.hash };
  if (alg.algorithmId === RSA_PSS) return resolvePss(alg);
  throw unsupported(alg.algorithmId, 'unsupported signature algorithm');
}

function resolvePss(alg: pkijs.AlgorithmIdentifier): Resolved {
  // RFC 4055 3.1: RSASSA-PSS-params, every field defaulted to SHA-1 / MGF1-SHA-1 / salt 20.
  let hash = 'sha1';
  let mgfHash = 'sha1';
  let saltLength = 20;
  try {
    const params = alg.algorithmParams as
      { toBER?: (sizeOnly?: boolean) => ArrayBuffer } | undefined;
    const der = params?.toBER ? new Uint8Array(params.toBER(false)) : undefined;
    for (const field of der && der.length > 0 ? children(parseDer(der)) : []) {
      const [inner] = children(field);
      if (!inner) continue;
      const tag = contextTag(field);
      if (tag === 0) hash = hashName(oid(firstChild(inner)));
      if (tag === 1) mgfHash = mgf1Hash(inner);
      if (tag === 2) saltLength = smallInteger(inner);
    }
  } catch (cause) {
    if (cause instanceof SecurityError) throw cause;
    if (cause instanceof DerShapeError) throw unsupported(RSA_PSS, 'malformed RSASSA-PSS params');
    throw cause;
  }
  if (mgfHash !== hash) throw unsupported(RSA_PSS, 'MGF1 hash differs from the message hash');
  return { hash, padding: { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength } };
}

function mgf1Hash(mgf: Parameters<typeof children>[0]): string {
  const [mgfOid, mgfParams] = children(mgf);
  if (!mgfOid || oid(mgfOid) !== MGF1 || !mgfParams) throw unsupported(RSA_PSS, 'mask not MGF1');
  return hashName(oid(firstChild(mgfParams)));
}

function firstChild(block: Parameters<typeof children>[0]): Parameters<typeof children>[0] {
  const [first] = children(block);
  if (!first) throw new DerShapeError('empty AlgorithmIdentifier');
  return first;
}

function hashName(hashOid: string): string {
  const name = HASH_BY_OID[hashOid];
  if (!name) throw unsupported(hashOid, 'unsupported hash algorithm');
  return name;
}

function unsupported(algorithm: string, message: string): SecurityError {
  return new SecurityError('PKI_ALGORITHM_UNSUPPORTED', `${message}.`, { context: { algorithm } });
}
