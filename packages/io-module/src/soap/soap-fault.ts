// Writes a refusal of the SOAP binding as a SOAP 1.1 Fault carrying the IO_* code.

import { create } from 'xmlbuilder2';
import type { IoError } from '../errors.js';
import { IO_FAULT_NS, SOAP11_NS } from './soap-namespaces.js';
import { UNREPRESENTABLE_CHARACTER } from './write-soap-answers.js';

/**
 * The SOAP 1.1 fault code of a refusal (SOAP 1.1 section 4.4.1, dot notation for the more
 * specific code): `soap:Client.IO_...` for bad requests, `soap:MustUnderstand.IO_...` for an
 * unknown mandatory header, `soap:Server.IO_INTERNAL` for unexpected errors.
 */
export function faultCodeOf(code: string): string {
  if (code === 'IO_INTERNAL') return `soap:Server.${code}`;
  if (code === 'IO_SOAP_MUST_UNDERSTAND') return `soap:MustUnderstand.${code}`;
  return `soap:Client.${code}`;
}

/**
 * Builds `soap:Envelope/soap:Body/soap:Fault` with faultcode, faultstring (the message for
 * people) and a detail holding `refusal(code, message, context*)` in {@link IO_FAULT_NS}, each
 * context entry as `<context name="...">value</context>`. Faults are not signed: like the JSON
 * binding's refusals they are transport errors and change nothing.
 */
export function soapFault(err: IoError): string {
  const fault = create({ invalidCharReplacement: UNREPRESENTABLE_CHARACTER })
    .ele(SOAP11_NS, 'soap:Envelope')
    .ele(SOAP11_NS, 'soap:Body')
    .ele(SOAP11_NS, 'soap:Fault');
  // SOAP 1.1 section 4.4: faultcode, faultstring and detail are unqualified.
  fault.ele('faultcode').txt(faultCodeOf(err.code));
  fault.ele('faultstring').txt(err.message);

  const refusal = fault.ele('detail').ele(IO_FAULT_NS, 'f:refusal');
  refusal.ele(IO_FAULT_NS, 'f:code').txt(err.code);
  refusal.ele(IO_FAULT_NS, 'f:message').txt(err.message);
  for (const [name, value] of Object.entries(err.context)) {
    if (value === null || value === undefined) continue;
    const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
    refusal.ele(IO_FAULT_NS, 'f:context').att('name', name).txt(text.slice(0, 500));
  }
  return fault.end({ headless: true });
}
