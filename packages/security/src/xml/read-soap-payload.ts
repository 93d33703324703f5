// Reads the payload element of a verified SOAP Body.

import type { Element } from '@xmldom/xmldom';
import { SecurityError } from '../errors.js';
import { elementChildren } from './dom-helpers.js';

/**
 * The one element inside a verified soap:Body (document/literal style, WS-I BP 1.1 R2201).
 *
 * @param body - `body` from {@link verifySoapEnvelope}.
 * @returns The payload element.
 * @throws SecurityError `XML_SOAP_MALFORMED` when the Body holds no element, several, or text.
 */
export function readSoapPayload(body: Element): Element {
  const children = elementChildren(body, 'XML_SOAP_MALFORMED');
  const [payload] = children;
  if (!payload || children.length > 1) {
    throw new SecurityError('XML_SOAP_MALFORMED', 'The Body must hold exactly one element.', {
      context: { elements: children.length },
    });
  }
  return payload;
}
