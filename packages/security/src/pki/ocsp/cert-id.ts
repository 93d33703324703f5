// The CertID that names a certificate in OCSP requests and responses (RFC 6960 4.1.1).

import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { Certificate } from '../certificate.js';
import { CERT_ID_HASHES, HASH_OIDS } from './ocsp-oids.js';

/** Hash algorithm of a CertID. */
export type CertIdHash = 'sha1' | 'sha256';

/**
 * Builds the CertID of `cert` issued by `issuer`: hashes of the DER issuer name of `cert` and of
 * the issuer's public key bits (the BIT STRING value, without tag and length), and the serial.
 */
export function createCertId(
  cert: Certificate,
  issuer: Certificate,
  hash: CertIdHash,
): pkijs.CertID {
  return new pkijs.CertID({
    hashAlgorithm: new pkijs.AlgorithmIdentifier({
      algorithmId: HASH_OIDS[hash],
      algorithmParams: new asn1js.Null(),
    }),
    issuerNameHash: new asn1js.OctetString({ valueHex: digest(hash, cert.issuer.der) }),
    issuerKeyHash: new asn1js.OctetString({ valueHex: digest(hash, issuerKeyBits(issuer)) }),
    serialNumber: new asn1js.Integer({ valueHex: cert.raw.serialNumber.valueBlock.valueHexView }),
  });
}

/**
 * True when `certId` names `cert` issued by `issuer`, recomputing the hashes with the algorithm
 * the CertID itself declares (a responder may answer with another hash than the one asked).
 */
export function certIdNames(certId: pkijs.CertID, cert: Certificate, issuer: Certificate): boolean {
  const hash = CERT_ID_HASHES[certId.hashAlgorithm.algorithmId];
  if (!hash) return false;
  return (
    sameBytes(certId.issuerNameHash.valueBlock.valueHexView, digest(hash, cert.issuer.der)) &&
    sameBytes(certId.issuerKeyHash.valueBlock.valueHexView, digest(hash, issuerKeyBits(issuer))) &&
    sameBytes(
      certId.serialNumber.valueBlock.valueHexView,
      cert.raw.serialNumber.valueBlock.valueHexView,
    )
  );
}

/** True when `certId` was made for a certificate of `issuer` (any serial). */
export function certIdIssuedBy(certId: pkijs.CertID, issuer: Certificate): boolean {
  const hash = CERT_ID_HASHES[certId.hashAlgorithm.algorithmId];
  if (!hash) return false;
  return (
    sameBytes(certId.issuerNameHash.valueBlock.valueHexView, digest(hash, issuer.subject.der)) &&
    sameBytes(certId.issuerKeyHash.valueBlock.valueHexView, digest(hash, issuerKeyBits(issuer)))
  );
}

/** The SHA-1 hash of a certificate's public key bits, as in ResponderID byKey (RFC 6960 4.2.1). */
export function keyHashOf(cert: Certificate): Uint8Array {
  return digest('sha1', issuerKeyBits(cert));
}

/** Serial of a CertID as lower-case hex, as encoded (like `Certificate.serialNumber`). */
export function certIdSerial(certId: pkijs.CertID): string {
  return Buffer.from(certId.serialNumber.valueBlock.valueHexView).toString('hex');
}

/** Byte-wise equality. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && Buffer.from(a).equals(Buffer.from(b));
}

function issuerKeyBits(issuer: Certificate): Uint8Array {
  return issuer.raw.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView;
}

function digest(hash: string, data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash(hash).update(data).digest());
}
