// Parses X.509 certificates (PEM or DER) into a read-only view over the pkijs object.

import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { SecurityError } from '../errors.js';
import { readPem, isPem } from './pem.js';
import { nameFromPkijs, type DistinguishedName } from './names.js';

/** A parsed X.509 certificate. Immutable; `raw` is the pkijs object for advanced use. */
export interface Certificate {
  /** The exact DER encoding. */
  readonly der: Uint8Array;
  readonly subject: DistinguishedName;
  readonly issuer: DistinguishedName;
  /** Serial number as lower-case hex, as encoded (two digits a byte, no sign stripping). */
  readonly serialNumber: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** SHA-256 of the DER, lower-case hex: a stable handle for logs and registries. */
  readonly fingerprintSha256: string;
  /** The subject public key as a Node key object. */
  readonly publicKey: KeyObject;
  /** The pkijs certificate. */
  readonly raw: pkijs.Certificate;
}

/**
 * Parses one certificate from DER bytes or PEM text (the first `CERTIFICATE` block).
 *
 * @throws SecurityError `PKI_PEM_MALFORMED`, `PKI_WRONG_TYPE` (a PEM block that is not a
 *   certificate, or CRL DER), `PKI_CERT_MALFORMED` (garbage, truncated DER, trailing bytes).
 */
export function parseCertificate(input: string | Uint8Array): Certificate {
  if (isPem(input)) {
    const text = typeof input === 'string' ? input : Buffer.from(input).toString('latin1');
    const blocks = readPem(text);
    const block = blocks.find((b) => b.label === 'CERTIFICATE');
    if (!block) {
      throw new SecurityError('PKI_WRONG_TYPE', 'The PEM text holds no CERTIFICATE block.', {
        context: { found: blocks[0]?.label },
      });
    }
    return fromDer(block.der);
  }
  return fromDer(input as Uint8Array);
}

/**
 * Parses every `CERTIFICATE` block of PEM text (a bundle), or one DER certificate.
 * @throws SecurityError as {@link parseCertificate}.
 */
export function parseCertificates(input: string | Uint8Array): Certificate[] {
  if (!isPem(input)) return [fromDer(input as Uint8Array)];
  const text = typeof input === 'string' ? input : Buffer.from(input).toString('latin1');
  const certs = readPem(text)
    .filter((b) => b.label === 'CERTIFICATE')
    .map((b) => fromDer(b.der));
  if (certs.length === 0) {
    throw new SecurityError('PKI_WRONG_TYPE', 'The PEM text holds no CERTIFICATE block.');
  }
  return certs;
}

function fromDer(der: Uint8Array): Certificate {
  const bytes = new Uint8Array(der);
  const raw = decode(bytes);

  let publicKey: KeyObject;
  try {
    const spki = raw.subjectPublicKeyInfo.toSchema().toBER(false);
    publicKey = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  } catch (cause) {
    throw new SecurityError('PKI_CERT_MALFORMED', 'The certificate public key cannot be read.', {
      cause,
    });
  }

  return Object.freeze({
    der: bytes,
    subject: nameFromPkijs(raw.subject),
    issuer: nameFromPkijs(raw.issuer),
    serialNumber: Buffer.from(raw.serialNumber.valueBlock.valueHexView).toString('hex'),
    notBefore: raw.notBefore.value,
    notAfter: raw.notAfter.value,
    fingerprintSha256: createHash('sha256').update(bytes).digest('hex'),
    publicKey,
    raw,
  });
}

function decode(bytes: Uint8Array): pkijs.Certificate {
  const asn1 = asn1js.fromBER(bytes);
  if (asn1.offset === -1 || asn1.offset !== bytes.byteLength) {
    throw new SecurityError(
      'PKI_CERT_MALFORMED',
      'The certificate is not one complete DER value.',
      {
        context: { length: bytes.byteLength },
      },
    );
  }
  try {
    return new pkijs.Certificate({ schema: asn1.result });
  } catch (cause) {
    if (isCrl(asn1.result)) {
      throw new SecurityError('PKI_WRONG_TYPE', 'A CRL was given where a certificate is expected.');
    }
    throw new SecurityError('PKI_CERT_MALFORMED', 'The certificate cannot be parsed.', { cause });
  }
}

function isCrl(schema: asn1js.AsnType): boolean {
  try {
    new pkijs.CertificateRevocationList({ schema });
    return true;
  } catch {
    return false;
  }
}
