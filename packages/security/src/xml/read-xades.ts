// Finds a Signature's own XAdES SignedProperties and reads what verification needs from them.

import type { Element } from '@xmldom/xmldom';
import { SecurityError } from '../errors.js';
import { decodeBase64, elementChildren, isElement, leafText } from './dom-helpers.js';
import { digestAlgorithm, type XmlDigestAlgorithm } from './xml-algorithms.js';
import { DSIG_NS, XADES_NS } from './xml-namespaces.js';

/** One xades:Cert of SigningCertificate(V2): a certificate digest, and its serial when given. */
export interface XadesCertId {
  readonly digest: XmlDigestAlgorithm;
  readonly digestValue: Buffer;
  /** ds:X509SerialNumber of a version 1 IssuerSerial; null when absent (or IssuerSerialV2). */
  readonly serialNumber: bigint | null;
}

/** The signed XAdES properties verification uses. */
export interface XadesSignedProperties {
  readonly signedProperties: Element;
  /** xades:SigningTime: the time the signer claims; null when absent. */
  readonly signingTime: Date | null;
  readonly signingCertificates: readonly XadesCertId[];
}

const MALFORMED = 'XML_XADES_MALFORMED';

/**
 * The xades:SignedProperties inside `signature`'s own ds:Object/xades:QualifyingProperties
 * (ETSI EN 319 132-1 section 4.3), found by structure and never by id; null when the Signature
 * has no QualifyingProperties.
 *
 * @throws SecurityError `XML_XADES_MALFORMED` (two QualifyingProperties, a Target that is not
 *   this Signature's Id, no or two SignedProperties).
 */
export function findSignedProperties(signature: Element): Element | null {
  const objects = elementChildren(signature, 'XML_SIGNATURE_MALFORMED').filter((c) =>
    isElement(c, DSIG_NS, 'Object'),
  );
  const qualifying = objects.flatMap((o) =>
    elementChildren(o, MALFORMED).filter((c) => isElement(c, XADES_NS, 'QualifyingProperties')),
  );
  const [properties, ...more] = qualifying;
  if (!properties) return null;
  if (more.length > 0) malformed(properties, 'The Signature has two QualifyingProperties.');

  // EN 319 132-1 section 4.3.1: Target refers to the Id of the Signature the properties qualify.
  const target = properties.getAttribute('Target');
  const id = signature.getAttribute('Id');
  if (target !== null && (!id || target !== `#${id}`)) {
    malformed(properties, 'QualifyingProperties qualify another Signature.');
  }

  const children = elementChildren(properties, MALFORMED);
  const signed = children.filter((c) => isElement(c, XADES_NS, 'SignedProperties'));
  const unsigned = children.filter((c) => isElement(c, XADES_NS, 'UnsignedProperties'));
  const [only] = signed;
  if (!only || signed.length > 1 || signed.length + unsigned.length !== children.length) {
    malformed(properties, 'QualifyingProperties must hold one SignedProperties.');
  }
  return only;
}

/**
 * Reads SigningTime and SigningCertificate or SigningCertificateV2 (EN 319 132-1 sections 5.2.1,
 * 5.2.2) from SignedSignatureProperties.
 *
 * @throws SecurityError `XML_XADES_MALFORMED`, `XML_ALGORITHM_FORBIDDEN` (a SHA-1 CertDigest
 *   without `allowSha1`).
 */
export function readSignedProperties(
  signedProperties: Element,
  allowSha1: boolean,
): XadesSignedProperties {
  const [signatureProperties] = elementChildren(signedProperties, MALFORMED);
  if (
    !signatureProperties ||
    !isElement(signatureProperties, XADES_NS, 'SignedSignatureProperties')
  ) {
    malformed(signedProperties, 'SignedProperties has no SignedSignatureProperties first.');
  }

  const children = elementChildren(signatureProperties, MALFORMED);
  const times = children.filter((c) => isElement(c, XADES_NS, 'SigningTime'));
  const certificates = children.filter(
    (c) =>
      isElement(c, XADES_NS, 'SigningCertificate') ||
      isElement(c, XADES_NS, 'SigningCertificateV2'),
  );
  const [time] = times;
  const [certificate] = certificates;
  if (times.length > 1) malformed(signatureProperties, 'SigningTime appears twice.');
  if (!certificate || certificates.length > 1) {
    malformed(signatureProperties, 'There must be one SigningCertificate or SigningCertificateV2.');
  }

  return {
    signedProperties,
    signingTime: time ? dateTime(time) : null,
    signingCertificates: elementChildren(certificate, MALFORMED).map((cert) =>
      readCert(cert, allowSha1),
    ),
  };
}

// EN 319 132-1 section 5.2.2: Cert has CertDigest, then IssuerSerial (SigningCertificate) or an
// optional IssuerSerialV2 (SigningCertificateV2).
function readCert(cert: Element, allowSha1: boolean): XadesCertId {
  if (!isElement(cert, XADES_NS, 'Cert')) malformed(cert, 'A signing certificate is not a Cert.');
  const [certDigest, issuerSerial, ...rest] = elementChildren(cert, MALFORMED);
  if (!certDigest || !isElement(certDigest, XADES_NS, 'CertDigest') || rest.length > 0) {
    malformed(cert, 'A Cert has no CertDigest, or more than CertDigest and IssuerSerial.');
  }
  const [method, value, ...extra] = elementChildren(certDigest, MALFORMED);
  if (
    !method ||
    !value ||
    !isElement(method, DSIG_NS, 'DigestMethod') ||
    !isElement(value, DSIG_NS, 'DigestValue') ||
    extra.length > 0
  ) {
    malformed(certDigest, 'A CertDigest must hold DigestMethod and DigestValue.');
  }

  return {
    digest: digestAlgorithm(method.getAttribute('Algorithm') ?? '', allowSha1),
    digestValue: decodeBase64(leafText(value, MALFORMED), MALFORMED, 'CertDigest DigestValue'),
    // TODO(xades-issuer-serial): X509IssuerName and IssuerSerialV2 are not compared; the
    // CertDigest already names the certificate, and a DN string comparison needs RFC 4514 rules.
    serialNumber:
      issuerSerial && isElement(issuerSerial, XADES_NS, 'IssuerSerial')
        ? serial(issuerSerial)
        : null,
  };
}

// XML-DSig 1.1 section 4.5.4: X509SerialNumber is an xsd:integer.
function serial(issuerSerial: Element): bigint {
  const number = elementChildren(issuerSerial, MALFORMED).find((c) =>
    isElement(c, DSIG_NS, 'X509SerialNumber'),
  );
  const text = number ? leafText(number, MALFORMED).trim() : '';
  if (!number || !/^\d{1,100}$/.test(text)) {
    malformed(issuerSerial, 'IssuerSerial has no decimal X509SerialNumber.');
  }
  return BigInt(text);
}

// EN 319 132-1 section 5.2.1: an xsd:dateTime; refused without a time zone, which would leave
// the instant to the verifier's local time.
function dateTime(element: Element): Date {
  const text = leafText(element, MALFORMED).trim();
  const zoned = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(text);
  const date = new Date(text);
  if (!zoned || Number.isNaN(date.getTime())) {
    malformed(element, 'SigningTime is not an xsd:dateTime with a time zone.');
  }
  return date;
}

function malformed(element: Element, message: string): never {
  throw new SecurityError(MALFORMED, message, {
    context: { element: element.localName, line: element.lineNumber },
  });
}
