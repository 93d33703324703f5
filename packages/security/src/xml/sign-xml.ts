// Signs an XML document (or one element of it, by id) with an enveloped XML-DSig signature.

import type { KeyObject } from 'node:crypto';
import type { Document, Element } from '@xmldom/xmldom';
import { SecurityError } from '../errors.js';
import type { Certificate } from '../pki/certificate.js';
import { parseAndIndex, type XmlParseOptions } from './parse-xml.js';
import { certificateDers, serializeDocument, signDocument } from './sign-document.js';
import type { XmlSignedElement } from './verify-xml.js';
import { DSIG_NS } from './xml-namespaces.js';

/** Options of {@link signXml}. */
export interface SignXmlOptions extends XmlParseOptions {
  /** The signer's private key (RSA of 2048 bits or more, or EC). */
  privateKey: KeyObject;
  /** The signer's certificate first, then the chain; all go into KeyInfo/X509Data. */
  certificates: readonly (Certificate | Uint8Array)[];
  /** What to sign: the whole document (`URI=""`, the default) or the element with this id. */
  signedElement?: XmlSignedElement;
  /** Signature method URI; default from the key (rsa-sha256, ecdsa-sha256 on P-256, ...). */
  signatureAlgorithm?: string;
}

/**
 * Signs `xml` with XML-DSig: exclusive c14n, SHA-256, RSA-SHA256 or ECDSA-SHA256, the signer's
 * certificates in KeyInfo/X509Data. The Signature becomes the last child of the root element, so
 * signing the document uses the enveloped-signature transform. {@link verifyXml} checks it.
 *
 * @param xml - The document to sign (parsed with {@link parseXmlSafely}'s limits).
 * @param options - Key, certificates, and what to sign.
 * @returns The signed document as text.
 * @throws SecurityError parser codes, `XML_DUPLICATE_ID`, `XML_SIGN_FAILED` (no certificate, no
 *   element with the id), `XML_KEY_TYPE_MISMATCH`, `XML_ALGORITHM_FORBIDDEN`.
 * @example
 * ```ts
 * const signed = signXml(batchXml, { privateKey, certificates: [cert, intermediate] });
 * ```
 */
export function signXml(xml: string | Uint8Array, options: SignXmlOptions): string {
  const { document, index } = parseAndIndex(xml, options);
  const root = document.documentElement as Element;
  const signed = options.signedElement ?? 'document';
  const element = signed === 'document' ? root : index.ids.get(signed.id);
  if (!element) throw new SecurityError('XML_SIGN_FAILED', 'No element has the id to sign.');
  const ders = certificateDers(options.certificates);

  signDocument(document, {
    privateKey: options.privateKey,
    signatureAlgorithm: options.signatureAlgorithm,
    targets: [{ element, uri: signed === 'document' ? '' : `#${signed.id}` }],
    parent: root,
    keyInfo: (doc) => [x509Data(doc, ders)],
  });
  return serializeDocument(document);
}

/** ds:X509Data with one X509Certificate per DER (XML-DSig 1.1 section 4.5.4). */
export function x509Data(document: Document, ders: readonly Uint8Array[]): Element {
  const data = document.createElementNS(DSIG_NS, 'ds:X509Data');
  for (const der of ders) {
    const certificate = document.createElementNS(DSIG_NS, 'ds:X509Certificate');
    certificate.appendChild(document.createTextNode(Buffer.from(der).toString('base64')));
    data.appendChild(certificate);
  }
  return data;
}
