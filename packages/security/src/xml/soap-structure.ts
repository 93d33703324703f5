// Locates the parts of a SOAP 1.1 envelope with WS-Security by structure, never by search.

import type { Document, Element } from '@xmldom/xmldom';
import { SecurityError } from '../errors.js';
import { elementChildren, isElement } from './dom-helpers.js';
import { DSIG_NS, SOAP11_NS, WSSE_NS, WSU_NS } from './xml-namespaces.js';

/** The parts verification checks, each found at its one legal place. */
export interface SoapParts {
  readonly envelope: Element;
  readonly header: Element | null;
  readonly body: Element;
  readonly security: Element | null;
  readonly timestamp: Element | null;
  /** ds:Signature children of the Security header. */
  readonly securitySignatures: readonly Element[];
}

/**
 * Finds Envelope/Header/Body (SOAP 1.1 section 4) and the WS-Security header with its
 * Timestamp and Signature (WSS 1.1 sections 5, 10).
 *
 * @throws SecurityError `XML_SOAP_MALFORMED` (not an envelope, no Body, stray children),
 *   `XML_WRAPPING` (two Bodies, two Security headers, two Timestamps).
 */
export function soapParts(document: Document): SoapParts {
  const envelope = document.documentElement;
  // TODO(soap12): SOAP 1.2 envelopes are refused; the checks are the same with another namespace.
  if (!envelope || !isElement(envelope, SOAP11_NS, 'Envelope')) {
    throw malformed('The document is not a SOAP 1.1 Envelope.');
  }

  // SOAP 1.1 section 4.1.1, narrowed by WS-I Basic Profile 1.1 R1011: Header?, Body, no more.
  const children = elementChildren(envelope, 'XML_SOAP_MALFORMED');
  const header = isElement(children[0], SOAP11_NS, 'Header') ? (children.shift() ?? null) : null;
  const bodies = children.filter((c) => isElement(c, SOAP11_NS, 'Body'));
  if (bodies.length > 1) throw wrapping('The Envelope has more than one Body.');
  const [body, ...rest] = children;
  if (!body || !isElement(body, SOAP11_NS, 'Body') || rest.length > 0) {
    throw malformed('The Envelope must hold an optional Header and then one Body.');
  }

  const securities = header
    ? elementChildren(header, 'XML_SOAP_MALFORMED').filter((c) => isElement(c, WSSE_NS, 'Security'))
    : [];
  if (securities.length > 1) throw wrapping('The Header has more than one Security header.');
  const security = securities[0] ?? null;
  const securityChildren = security ? elementChildren(security, 'XML_SOAP_MALFORMED') : [];
  const timestamps = securityChildren.filter((c) => isElement(c, WSU_NS, 'Timestamp'));
  if (timestamps.length > 1) throw wrapping('The Security header has more than one Timestamp.');

  return {
    envelope,
    header,
    body,
    security,
    timestamp: timestamps[0] ?? null,
    securitySignatures: securityChildren.filter((c) => isElement(c, DSIG_NS, 'Signature')),
  };
}

function malformed(message: string): SecurityError {
  return new SecurityError('XML_SOAP_MALFORMED', message);
}

function wrapping(message: string): SecurityError {
  return new SecurityError('XML_WRAPPING', message);
}
