// Signs a SOAP 1.1 envelope under WS-Security: Body and Timestamp, token in the Security header.

import { randomUUID, type KeyObject } from 'node:crypto';
import type { Document, Element, Node } from '@xmldom/xmldom';
import { systemClock, type Clock } from '@interop-blocks/core';
import { SecurityError } from '../errors.js';
import type { Certificate } from '../pki/certificate.js';
import { parseAndIndex, type XmlParseOptions } from './parse-xml.js';
import { certificateDers, serializeDocument, signDocument } from './sign-document.js';
import { x509Data } from './sign-xml.js';
import { soapParts } from './soap-structure.js';
import { SOAP11_NS, WSS_BASE64, WSS_X509V3, WSSE_NS, WSU_NS, XMLNS_NS } from './xml-namespaces.js';

/** Options of {@link signSoapEnvelope}. */
export interface SignSoapOptions extends XmlParseOptions {
  privateKey: KeyObject;
  /** The signer's certificate first, then the chain. */
  certificates: readonly (Certificate | Uint8Array)[];
  /**
   * Where the certificate travels: a wsse:BinarySecurityToken referenced from KeyInfo (the
   * signer's certificate only; the default), or KeyInfo/X509Data (with the chain).
   */
  keyInfo?: 'binary-security-token' | 'x509-data';
  /** Lifetime of the Timestamp, in seconds. Default 300. */
  timestampTtlSeconds?: number;
  clock?: Clock;
  /** Signature method URI; default from the key. */
  signatureAlgorithm?: string;
}

/**
 * Adds a wsse:Security header (mustUnderstand) with a wsu:Timestamp, the signer's token and one
 * XML-DSig signature over the soap:Body and the Timestamp (WSS 1.1 SOAP Message Security,
 * X.509 Token Profile 1.1). Existing Body ids are kept; missing ones are added as wsu:Id.
 *
 * @param envelope - A SOAP 1.1 envelope, e.g. from {@link buildSoapEnvelope}.
 * @param options - Key, certificates, token placement, timestamp lifetime.
 * @returns The signed envelope as text.
 * @throws SecurityError parser codes, `XML_SOAP_MALFORMED`, `XML_DUPLICATE_ID`,
 *   `XML_SIGN_FAILED` (already has a Security header, no certificate), `XML_KEY_TYPE_MISMATCH`.
 * @example
 * ```ts
 * const signed = signSoapEnvelope(buildSoapEnvelope(query), { privateKey, certificates: [cert] });
 * ```
 */
export function signSoapEnvelope(envelope: string | Uint8Array, options: SignSoapOptions): string {
  const { document } = parseAndIndex(envelope, options);
  const parts = soapParts(document);
  if (parts.security) {
    throw new SecurityError('XML_SIGN_FAILED', 'The envelope already has a Security header.');
  }
  const ders = certificateDers(options.certificates);
  const header = parts.header ?? prependHeader(document, parts.envelope);

  const security = document.createElementNS(WSSE_NS, 'wsse:Security');
  security.setAttributeNS(XMLNS_NS, 'xmlns:wsse', WSSE_NS);
  security.setAttributeNS(XMLNS_NS, 'xmlns:wsu', WSU_NS);
  security.setAttributeNS(SOAP11_NS, `${soapPrefix(parts.envelope)}:mustUnderstand`, '1');
  header.appendChild(security);
  const timestamp = appendTimestamp(document, security, options);
  const token =
    (options.keyInfo ?? 'binary-security-token') === 'binary-security-token'
      ? appendToken(document, security, ders[0] as Buffer)
      : null;

  signDocument(document, {
    privateKey: options.privateKey,
    signatureAlgorithm: options.signatureAlgorithm,
    targets: [
      { element: parts.body, uri: `#${ensureId(parts.body, 'Body')}` },
      { element: timestamp, uri: `#${ensureId(timestamp, 'TS')}` },
    ],
    parent: security,
    keyInfo: (doc) => [token ? tokenReference(doc, token) : x509Data(doc, ders)],
  });
  return serializeDocument(document);
}

function prependHeader(document: Document, envelope: Element): Element {
  const header = document.createElementNS(SOAP11_NS, `${soapPrefix(envelope)}:Header`);
  envelope.insertBefore(header, envelope.firstChild);
  return header;
}

function soapPrefix(envelope: Element): string {
  return envelope.prefix ?? 'soap';
}

// WSS 1.1 section 10: Created and Expires as UTC xsd:dateTime.
function appendTimestamp(document: Document, security: Element, options: SignSoapOptions): Element {
  const now = (options.clock ?? systemClock).now();
  const ttl = (options.timestampTtlSeconds ?? 300) * 1000;
  const timestamp = document.createElementNS(WSU_NS, 'wsu:Timestamp');
  for (const [name, time] of [
    ['Created', now],
    ['Expires', now + ttl],
  ] as const) {
    const element = document.createElementNS(WSU_NS, `wsu:${name}`);
    element.appendChild(document.createTextNode(new Date(time).toISOString()));
    timestamp.appendChild(element);
  }
  security.appendChild(timestamp);
  return timestamp;
}

// X.509 Token Profile 1.1 section 3.1: the certificate as a BinarySecurityToken.
function appendToken(document: Document, security: Element, der: Buffer): Element {
  const token = document.createElementNS(WSSE_NS, 'wsse:BinarySecurityToken');
  token.setAttribute('EncodingType', WSS_BASE64);
  token.setAttribute('ValueType', WSS_X509V3);
  ensureId(token, 'X509');
  token.appendChild(document.createTextNode(der.toString('base64')));
  security.appendChild(token);
  return token;
}

function tokenReference(document: Document, token: Element): Element {
  const str = document.createElementNS(WSSE_NS, 'wsse:SecurityTokenReference');
  const reference = document.createElementNS(WSSE_NS, 'wsse:Reference');
  reference.setAttribute('URI', `#${token.getAttributeNS(WSU_NS, 'Id') ?? ''}`);
  reference.setAttribute('ValueType', WSS_X509V3);
  str.appendChild(reference);
  return str;
}

// WSS 1.1 section 4: wsu:Id; an Id the element already has is kept.
function ensureId(element: Element, kind: string): string {
  const existing = element.getAttributeNS(WSU_NS, 'Id') || element.getAttribute('Id');
  if (existing) return existing;
  const id = `${kind}-${randomUUID()}`;
  if (!declaresWsu(element)) element.setAttributeNS(XMLNS_NS, 'xmlns:wsu', WSU_NS);
  element.setAttributeNS(WSU_NS, 'wsu:Id', id);
  return id;
}

// xmldom's lookupNamespaceURI does not see declarations made with setAttributeNS, so look.
function declaresWsu(element: Element): boolean {
  for (let at: Node | null = element; at && at.nodeType === 1; at = at.parentNode) {
    const declared = (at as Element).getAttributeNS(XMLNS_NS, 'wsu');
    if (declared) return declared === WSU_NS;
  }
  return false;
}
