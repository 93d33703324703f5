// Shared set-up of the XML-DSig tests: development PKIs, signers and small DOM edits.

import { DOMParser, XMLSerializer, type Document, type Element } from '@xmldom/xmldom';
import { createDevPki } from '../../src/dev-pki/create-dev-pki.js';
import type { DevPki } from '../../src/dev-pki/dev-pki-options.js';
import type { DevIssued } from '../../src/dev-pki/issue-certificate.js';
import { parseCertificates, type Certificate } from '../../src/pki/certificate.js';

export const DSIG = 'http://www.w3.org/2000/09/xmldsig#';
export const SOAP = 'http://schemas.xmlsoap.org/soap/envelope/';
export const WSSE =
  'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';
export const WSU =
  'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd';

/** Two development PKIs (EC and RSA) and a third one nobody trusts. */
export interface XmlWorld {
  ec: DevPki;
  rsa: DevPki;
  stranger: DevPki;
}

export async function createXmlWorld(): Promise<XmlWorld> {
  const [ec, rsa, stranger] = await Promise.all([
    createDevPki({ organisations: [{ name: 'Test Registry', id: 'registry' }] }),
    createDevPki({ keyAlgorithm: 'rsa-2048' }),
    createDevPki(),
  ]);
  return { ec, rsa, stranger };
}

/** The signer's certificate, then its intermediate. */
export const chainOf = (issued: DevIssued): Certificate[] => parseCertificates(issued.chainPem);

/** A payload of about `bytes` bytes, for a SOAP Body. */
export function payload(bytes = 1200): string {
  const items: string[] = [];
  for (let i = 0; items.join('').length < bytes; i += 1) {
    items.push(
      `<q:Subject scheme="tax"><q:Id>${10000000 + i}</q:Id><q:Year>2025</q:Year></q:Subject>`,
    );
  }
  const purpose = '<q:Purpose>child-benefit</q:Purpose>';
  return `<q:Query xmlns:q="urn:example:query">${purpose}${items.join('')}</q:Query>`;
}

/** Parses a test document with plain xmldom (the attacker's tool). */
export function dom(xml: string): Document {
  return new DOMParser().parseFromString(xml, 'text/xml');
}

export function text(doc: Document): string {
  return new XMLSerializer().serializeToString(doc);
}

/** The first element with this namespace and local name, in document order. */
export function first(doc: Document, ns: string, name: string): Element {
  const found = doc.getElementsByTagNameNS(ns, name).item(0);
  if (!found) throw new Error(`test document has no ${name}`);
  return found;
}
