// The XAdES checks of a verified Signature: which reference signs what, and the signing
// certificate.

import { createHash, timingSafeEqual } from 'node:crypto';
import type { Element } from '@xmldom/xmldom';
import { SecurityError } from '../errors.js';
import type { Certificate } from '../pki/certificate.js';
import type { ReadSignature } from './read-signature.js';
import type { XadesSignedProperties } from './read-xades.js';
import { XADES_SIGNED_PROPERTIES_TYPE } from './xml-namespaces.js';

/** True when a Reference claims to sign XAdES SignedProperties. */
export function signsProperties(read: ReadSignature): boolean {
  return read.references.some((r) => r.type === XADES_SIGNED_PROPERTIES_TYPE);
}

/**
 * Checks the two References of a XAdES signature (ETSI EN 319 132-1 section 4.3.1): exactly one
 * has the SignedProperties Type and resolves to the Signature's own SignedProperties, without the
 * enveloped transform; the other signs the data. Returns the index of the data Reference.
 *
 * @param elements - The resolved References, in order.
 * @throws SecurityError `XML_REFERENCE_UNEXPECTED`, `XML_WRAPPING`, `XML_TRANSFORM_FORBIDDEN`.
 */
export function xadesDataReference(
  read: ReadSignature,
  elements: readonly Element[],
  signedProperties: Element,
): number {
  const typed = read.references.flatMap((r, i) =>
    r.type === XADES_SIGNED_PROPERTIES_TYPE ? [i] : [],
  );
  const [at] = typed;
  if (at === undefined || typed.length !== 1 || read.references.length !== 2) {
    throw new SecurityError(
      'XML_REFERENCE_UNEXPECTED',
      'A XAdES Signature must sign its data and its SignedProperties, once each.',
      { context: { references: read.references.length, signedProperties: typed.length } },
    );
  }
  if (elements[at] !== signedProperties) {
    throw new SecurityError(
      'XML_WRAPPING',
      'The signed SignedProperties are not the ones inside this Signature.',
      { context: { signed: elements[at]?.localName ?? null } },
    );
  }
  if (read.references[at]?.enveloped) {
    throw new SecurityError('XML_TRANSFORM_FORBIDDEN', 'SignedProperties are not enveloping.');
  }
  return at === 0 ? 1 : 0;
}

/**
 * EN 319 132-1 section 5.2.2: one Cert of SigningCertificate(V2) must carry the digest of the
 * certificate whose key verified the signature (and its serial number, when IssuerSerial gives it).
 *
 * @throws SecurityError `XML_SIGNING_CERTIFICATE_MISMATCH`.
 */
export function checkSigningCertificate(
  properties: XadesSignedProperties,
  signer: Certificate,
): void {
  const match = properties.signingCertificates.find((cert) => {
    const actual = createHash(cert.digest.hash).update(signer.der).digest();
    return actual.length === cert.digestValue.length && timingSafeEqual(actual, cert.digestValue);
  });
  if (!match) {
    throw new SecurityError(
      'XML_SIGNING_CERTIFICATE_MISMATCH',
      'The signed SigningCertificate is not the certificate that verified the signature.',
      { context: { signer: signer.fingerprintSha256 } },
    );
  }
  if (match.serialNumber !== null && match.serialNumber !== BigInt(`0x${signer.serialNumber}`)) {
    throw new SecurityError(
      'XML_SIGNING_CERTIFICATE_MISMATCH',
      'The signed IssuerSerial has another serial number than the signer certificate.',
      { context: { signer: signer.fingerprintSha256 } },
    );
  }
}
