// Verifies an XML document with one enveloped (or same-document) XML-DSig signature, hardened.

import type { Document, Element } from '@xmldom/xmldom';
import { systemClock } from '@interop-blocks/core';
import { SecurityError } from '../errors.js';
import type { Certificate } from '../pki/certificate.js';
import { checkDigests, checkSignatureValue, resolveReferences } from './check-signature.js';
import { checkSigningCertificate, signsProperties, xadesDataReference } from './check-xades.js';
import { parseAndIndex } from './parse-xml.js';
import { readSignature } from './read-signature.js';
import { findSignedProperties, readSignedProperties } from './read-xades.js';
import type { DocumentIndex } from './walk-document.js';
import { DEFAULT_MIN_RSA_BITS, type XmlVerifyOptions } from './verify-options.js';

/** Which element a generic signature must cover. */
export type XmlSignedElement = 'document' | { readonly id: string };

/**
 * XAdES handling (ETSI EN 319 132-1): `'off'` accepts plain XML-DSig only (one Reference);
 * `'allow'` accepts plain XML-DSig or XAdES; `'require'` accepts XAdES only.
 */
export type XadesMode = 'off' | 'allow' | 'require';

/** Options of {@link verifyXml}. */
export interface VerifyXmlOptions extends XmlVerifyOptions {
  /**
   * The element that must be signed: `'document'` (the root, by `URI=""` or its id; the
   * default), or the element with this id.
   */
  signedElement?: XmlSignedElement;
  /** Accept XAdES signatures (a second Reference to SignedProperties). Default `'off'`. */
  xades?: XadesMode;
  /**
   * Accept Canonical XML 1.0 without comments (for SignedInfo and as a Reference transform)
   * besides exclusive c14n. Default true when `xades` is `'allow'` or `'require'`, else false.
   */
  allowInclusiveC14n?: boolean;
}

/** The XAdES properties of a verified signature. */
export interface VerifiedXades {
  /** The signed xades:SignedProperties inside the Signature. */
  readonly signedProperties: Element;
  /** The signed xades:SigningTime (the signer's claim, not a timestamp); null when absent. */
  readonly signingTime: Date | null;
}

/** What {@link verifyXml} proved. */
export interface VerifiedXml {
  /** The signed element, which is the element to read: never look it up again in `document`. */
  readonly element: Element;
  /** The signer's certificate, as accepted by the trust source. */
  readonly signer: Certificate;
  /** The validated chain, leaf first, when the trust source reports one. */
  readonly chain: readonly Certificate[];
  /** The signature method URI. */
  readonly signatureAlgorithm: string;
  /** The parsed document (comments removed). */
  readonly document: Document;
  /** The XAdES properties, when the signature is XAdES; null for plain XML-DSig. */
  readonly xades: VerifiedXades | null;
}

/**
 * Verifies a document carrying exactly one XML-DSig signature with exactly one Reference, which
 * must resolve to the expected element. Parses with {@link parseXmlSafely}'s limits; refuses
 * duplicate ids anywhere, transforms other than enveloped-signature and exclusive c14n (and,
 * when allowed, inclusive c14n), SHA-1 (unless allowed), and any key that does not come from
 * `trust`. With `xades`, a XAdES signature (ETSI EN 319 132-1) has exactly two References: the
 * expected element, and the SignedProperties inside the Signature's own QualifyingProperties,
 * whose SigningCertificate(V2) must name the certificate that verified the signature.
 *
 * @param xml - The signed document.
 * @param options - Trust source, expected element, XAdES mode, limits and policy.
 * @returns The verified element, the signer, the document and the XAdES properties.
 * @throws SecurityError the parser codes, `XML_SIGNATURE_MISSING`, `XML_SIGNATURE_COUNT`,
 *   `XML_SIGNATURE_MALFORMED`, `XML_DUPLICATE_ID`, `XML_REFERENCE_UNRESOLVED`,
 *   `XML_REFERENCE_UNEXPECTED`, `XML_WRAPPING`, `XML_TRANSFORM_FORBIDDEN`,
 *   `XML_ALGORITHM_FORBIDDEN`, `XML_DIGEST_MISMATCH`, `XML_KEY_INFO_UNSUPPORTED`,
 *   `XML_KEY_UNTRUSTED`, `XML_KEY_TYPE_MISMATCH`, `XML_SIGNATURE_INVALID`, and with `xades`
 *   `XML_XADES_MISSING`, `XML_XADES_MALFORMED`, `XML_SIGNING_CERTIFICATE_MISMATCH`.
 * @example
 * ```ts
 * const { element, signer } = await verifyXml(batchFile, { trust: validator });
 * const list = await verifyXml(tsl, { trust: trustPinnedCertificates(signers), xades: 'require' });
 * ```
 */
export async function verifyXml(
  xml: string | Uint8Array,
  options: VerifyXmlOptions,
): Promise<VerifiedXml> {
  const allowSha1 = options.allowSha1 ?? false;
  const mode = options.xades ?? 'off';
  options.signal?.throwIfAborted();
  const { document, index } = parseAndIndex(xml, options);
  const signature = onlySignature(index);
  const read = readSignature(signature, {
    allowSha1,
    allowInclusiveC14n: options.allowInclusiveC14n ?? mode !== 'off',
  });

  // EN 319 132-1 section 4.3: the properties are found by structure inside this Signature.
  const signedProperties = mode === 'off' ? null : findSignedProperties(signature);
  const isXades = mode !== 'off' && (signedProperties !== null || signsProperties(read));
  if (mode === 'require' && !isXades) {
    throw new SecurityError('XML_XADES_MISSING', 'The Signature is not a XAdES signature.');
  }
  if (read.references.length !== (isXades ? 2 : 1)) {
    throw new SecurityError(
      'XML_REFERENCE_UNEXPECTED',
      'The Signature has an unexpected number of References.',
      {
        context: { references: read.references.length, xades: isXades },
      },
    );
  }
  if (isXades && !signedProperties) {
    throw new SecurityError('XML_XADES_MALFORMED', 'The Signature has no SignedProperties.');
  }

  const elements = resolveReferences(read, index, document, signedProperties ?? undefined);
  const dataAt = signedProperties ? xadesDataReference(read, elements, signedProperties) : 0;
  const element = elements[dataAt];
  const expected = expectedElement(options.signedElement ?? 'document', document, index);
  if (!element || element !== expected) {
    throw new SecurityError('XML_WRAPPING', 'The signed element is not the expected element.', {
      context: { signed: element?.localName, expected: expected.localName },
    });
  }
  const properties = signedProperties ? readSignedProperties(signedProperties, allowSha1) : null;
  checkDigests(read, elements);
  const signer = await checkSignatureValue(read, index, options.trust, {
    time: new Date((options.clock ?? systemClock).now()),
    requiredKeyUsage: options.requiredKeyUsage,
    signal: options.signal,
    minRsaBits: options.minRsaBits ?? DEFAULT_MIN_RSA_BITS,
  });
  if (properties) checkSigningCertificate(properties, signer.certificate);

  return {
    element,
    signer: signer.certificate,
    chain: signer.chain ?? [signer.certificate],
    signatureAlgorithm: read.algorithm.uri,
    document,
    xades: properties
      ? { signedProperties: properties.signedProperties, signingTime: properties.signingTime }
      : null,
  };
}

/**
 * The one ds:Signature of the document.
 * @throws SecurityError `XML_SIGNATURE_MISSING`, `XML_SIGNATURE_COUNT`.
 */
export function onlySignature(index: DocumentIndex): Element {
  const [first, ...more] = index.signatures;
  if (!first) throw new SecurityError('XML_SIGNATURE_MISSING', 'The document is not signed.');
  if (more.length > 0) {
    throw new SecurityError('XML_SIGNATURE_COUNT', 'The document has more than one Signature.', {
      context: { signatures: index.signatures.length },
    });
  }
  return first;
}

function expectedElement(
  signed: XmlSignedElement,
  document: Document,
  index: DocumentIndex,
): Element {
  if (signed === 'document') return document.documentElement as Element;
  const element = index.ids.get(signed.id);
  if (!element) {
    throw new SecurityError('XML_REFERENCE_UNRESOLVED', 'No element has the expected id.');
  }
  return element;
}
