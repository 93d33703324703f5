// Builds a SOAP 1.1 envelope around a payload with xmlbuilder2.

import { create } from 'xmlbuilder2';
import type { ExpandObject } from 'xmlbuilder2/lib/interfaces.js';
import { parseXmlSafely } from './parse-xml.js';
import { SOAP11_NS } from './xml-namespaces.js';

/**
 * Wraps a payload in `soap:Envelope/soap:Body` (with an empty `soap:Header` for WS-Security).
 *
 * @param payload - One element as XML text (checked with {@link parseXmlSafely}), or an
 *   xmlbuilder2 object such as `{ 'q:Query': { '@xmlns:q': 'urn:q', 'q:Id': '42' } }`.
 * @returns The envelope as text, ready for {@link signSoapEnvelope}.
 * @throws SecurityError the parser codes, for a text payload.
 * @example
 * ```ts
 * const envelope = buildSoapEnvelope('<q:Query xmlns:q="urn:q"><q:Id>42</q:Id></q:Query>');
 * ```
 */
export function buildSoapEnvelope(payload: string | ExpandObject): string {
  const body = create()
    .ele(SOAP11_NS, 'soap:Envelope')
    .ele(SOAP11_NS, 'soap:Header')
    .up()
    .ele(SOAP11_NS, 'soap:Body');
  if (typeof payload === 'string') {
    parseXmlSafely(payload);
    body.import(create(payload));
  } else {
    body.ele(payload);
  }
  return body.end({ headless: true });
}
