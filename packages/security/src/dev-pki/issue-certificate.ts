// Issues one X.509 v3 certificate (RFC 5280 section 4.1) signed with a development CA key.

import { randomBytes, type KeyObject } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { SecurityError } from '../errors.js';
import { parseCertificate, type Certificate } from '../pki/certificate.js';
import { writePem } from '../pki/pem.js';
import { buildName, type DevSubject } from './build-name.js';
import { devCryptoEngine, type DevKeyPair } from './crypto-engine.js';
import { authorityKeyIdentifier, keyIdentifier, subjectKeyIdentifier } from './build-extensions.js';

/** One issued certificate with its private key. The key never appears in errors or logs. */
export interface DevIssued {
  /** The handle of this certificate in the development PKI, e.g. `acme-client`. */
  readonly name: string;
  readonly certificate: Certificate;
  readonly certPem: string;
  /** PKCS#8 PEM of the private key. */
  readonly keyPem: string;
  readonly key: KeyObject;
  /** This certificate and its issuing CAs up to, but without, the root: what a peer sends. */
  readonly chainPem: string;
}

/** A CA of the development PKI: its certificate plus what issuing needs. */
export interface DevAuthority {
  readonly issued: DevIssued;
  readonly keys: DevKeyPair;
  readonly name: pkijs.RelativeDistinguishedNames;
  readonly keyId: Uint8Array;
  /** PEM of the CAs above this one, without the root. */
  readonly chainAbovePem: string;
}

/** What to issue. `issuer` absent means self-signed (a root). */
export interface IssueRequest {
  readonly name: string;
  readonly subject: DevSubject;
  readonly keys: DevKeyPair;
  readonly issuer?: DevAuthority;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** Extensions besides the key identifiers, which are added here. */
  readonly extensions: readonly pkijs.Extension[];
}

/**
 * Builds, signs and parses back one certificate.
 * @throws SecurityError `DEVPKI_ISSUE_FAILED` when signing or encoding fails.
 */
export async function issueCertificate(request: IssueRequest): Promise<DevIssued> {
  const engine = devCryptoEngine();
  const cert = new pkijs.Certificate();
  const subjectName = buildName(request.subject);

  try {
    // RFC 5280 4.1.2.1: v3, because extensions are present.
    cert.version = 2;
    cert.serialNumber = new asn1js.Integer({ valueHex: serialNumber() });
    cert.subject = subjectName;
    cert.issuer = request.issuer?.name ?? subjectName;
    cert.notBefore = devTime(request.notBefore);
    cert.notAfter = devTime(request.notAfter);
    await cert.subjectPublicKeyInfo.importKey(request.keys.publicKey, engine);

    const ownId = keyIdentifier(cert.subjectPublicKeyInfo);
    cert.extensions = [
      subjectKeyIdentifier(ownId),
      // RFC 5280 4.2.1.1: AKI is present in all certificates but self-signed roots (may be).
      authorityKeyIdentifier(request.issuer?.keyId ?? ownId),
      ...request.extensions,
    ];

    await cert.sign(request.issuer?.keys.privateKey ?? request.keys.privateKey, 'SHA-256', engine);
  } catch (cause) {
    if (cause instanceof SecurityError) throw cause;
    throw new SecurityError(
      'DEVPKI_ISSUE_FAILED',
      'A development certificate could not be signed.',
      {
        context: { name: request.name },
        cause,
      },
    );
  }

  const der = new Uint8Array(cert.toSchema(true).toBER(false));
  const certPem = writePem('CERTIFICATE', der);
  return {
    name: request.name,
    certificate: parseCertificate(der),
    certPem,
    keyPem: request.keys.keyPem,
    key: request.keys.key,
    chainPem: certPem + (request.issuer?.chainAbovePem ?? ''),
  };
}

/** Turns an issued CA certificate into an authority that can issue further certificates. */
export function asAuthority(issued: DevIssued, keys: DevKeyPair, isRoot: boolean): DevAuthority {
  const raw = issued.certificate.raw;
  return {
    issued,
    keys,
    name: raw.subject,
    keyId: keyIdentifier(raw.subjectPublicKeyInfo),
    chainAbovePem: isRoot ? '' : issued.chainPem,
  };
}

/** RFC 5280 4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050; whole seconds only. */
export function devTime(date: Date): pkijs.Time {
  const value = new Date(Math.floor(date.getTime() / 1000) * 1000);
  const year = value.getUTCFullYear();
  const type =
    year >= 1950 && year < 2050 ? pkijs.TimeType.UTCTime : pkijs.TimeType.GeneralizedTime;
  return new pkijs.Time({ type, value });
}

/** RFC 5280 4.1.2.2: a positive serial of 16 random bytes, minimal DER (no leading zero byte). */
function serialNumber(): Uint8Array {
  const bytes = new Uint8Array(randomBytes(16));
  bytes[0] = (bytes[0]! & 0x7f) | 0x10;
  return bytes;
}
