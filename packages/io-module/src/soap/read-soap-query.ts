// The SOAP binding's transport checks: WS-Security signature, headers, signer, Query element.

import { InteropError, type Clock } from '@interop-blocks/core';
import {
  readSoapPayload,
  verifySoapEnvelope,
  type Certificate,
  type Principal,
} from '@interop-blocks/security';
import { IoError, type IoErrorCode } from '../errors.js';
import { readQueryElement } from './read-query-element.js';
import type { SoapBindingOptions } from './soap-binding-options.js';
import { SOAP11_NS, WSSE_NS, datasetNamespace } from './soap-namespaces.js';
import { childElements, type XmlElement } from './xml-children.js';

/** A verified SOAP query: who signed it, and its fields named as in the JSON binding. */
export interface SoapQuery {
  /** The signer's principal, or undefined when none is registered for the certificate. */
  signer: Principal | undefined;
  fields: Record<string, unknown>;
}

/** How one SOAP query is read. */
export interface ReadSoapQueryOptions {
  soap: SoapBindingOptions;
  /** The dataset id of the URL: its namespace is the Query's. */
  dataset: string;
  clock: Clock;
  /** Largest accepted envelope in bytes. */
  maxBytes: number;
  signal?: AbortSignal;
}

/**
 * Verifies the envelope with the Security Platform's hardened `verifySoapEnvelope` (one
 * signature over exactly the Body and a fresh Timestamp, no DTD, no wrapping), refuses header
 * entries it must but cannot understand, maps the signer to its principal, and reads the Query
 * from the verified Body only.
 *
 * @throws IoError `IO_BODY_TOO_LARGE`, `IO_XML_MALFORMED`, `IO_XML_FORBIDDEN`,
 *   `IO_SIGNATURE_MISSING`, `IO_SIGNATURE_INVALID` (each with the `XML_*` code in
 *   `context.xmlCode`), `IO_SOAP_MUST_UNDERSTAND`, `IO_ENVELOPE_INVALID`.
 */
export async function readSoapQuery(
  body: Buffer,
  options: ReadSoapQueryOptions,
): Promise<SoapQuery> {
  const { soap } = options;
  let verified;
  try {
    verified = await verifySoapEnvelope(body, {
      trust: soap.trust,
      clock: options.clock,
      clockSkewMs: soap.clockSkewMs,
      maxAgeMs: soap.maxAgeMs,
      maxBytes: options.maxBytes,
      requiredKeyUsage: ['digitalSignature'],
      signal: options.signal,
    });
  } catch (err) {
    options.signal?.throwIfAborted();
    throw refusalOfXmlError(err);
  }

  const envelope = verified.document.documentElement as XmlElement;
  checkMustUnderstand(childElements(envelope, '/Envelope')[0]);
  const signer = await principalOf(soap, verified.signer);

  let payload: XmlElement;
  try {
    payload = readSoapPayload(verified.body);
  } catch (err) {
    if (!InteropError.is(err)) throw err;
    throw new IoError('IO_ENVELOPE_INVALID', 'The Body must hold exactly one Query.', {
      context: { path: '/', xmlCode: err.code },
    });
  }
  return { signer, fields: readQueryElement(payload, datasetNamespace(options.dataset)) };
}

// Parser refusals keep their own codes; every other refusal of the Security Platform (wrapping,
// digests, algorithms, timestamps, untrusted keys) is a signature that does not verify.
const XML_REFUSALS: Readonly<Record<string, IoErrorCode>> = {
  XML_TOO_LARGE: 'IO_BODY_TOO_LARGE',
  XML_MALFORMED: 'IO_XML_MALFORMED',
  XML_SOAP_MALFORMED: 'IO_XML_MALFORMED',
  XML_DOCTYPE_FORBIDDEN: 'IO_XML_FORBIDDEN',
  XML_PROCESSING_INSTRUCTION_FORBIDDEN: 'IO_XML_FORBIDDEN',
  XML_TOO_DEEP: 'IO_XML_FORBIDDEN',
  XML_SIGNATURE_MISSING: 'IO_SIGNATURE_MISSING',
};

function refusalOfXmlError(err: unknown): unknown {
  if (!InteropError.is(err) || !err.code.startsWith('XML_')) return err;
  const code = XML_REFUSALS[err.code] ?? 'IO_SIGNATURE_INVALID';
  const reason = err.context.reason;
  return new IoError(code, messageOf(code), {
    context: {
      xmlCode: err.code,
      ...(typeof reason === 'string' ? { reason } : {}),
      ...(code === 'IO_XML_MALFORMED' && typeof err.context.line === 'number'
        ? { line: err.context.line }
        : {}),
    },
    cause: err,
  });
}

function messageOf(code: IoErrorCode): string {
  switch (code) {
    case 'IO_BODY_TOO_LARGE':
      return 'The body is larger than allowed.';
    case 'IO_XML_MALFORMED':
      return 'The body is not a well-formed SOAP 1.1 envelope.';
    case 'IO_XML_FORBIDDEN':
      return 'The body uses an XML construct that is refused.';
    case 'IO_SIGNATURE_MISSING':
      return 'The envelope carries no WS-Security signature.';
    default:
      return 'The query signature does not verify.';
  }
}

// SOAP 1.1 section 4.2.3: a header entry with mustUnderstand="1" that the recipient does not
// obey is a MustUnderstand fault. Only the WS-Security header is understood here.
function checkMustUnderstand(header: XmlElement | undefined): void {
  if (!header || header.namespaceURI !== SOAP11_NS || header.localName !== 'Header') return;
  for (const entry of childElements(header, '/Header')) {
    if (entry.namespaceURI === WSSE_NS && entry.localName === 'Security') continue;
    if (entry.getAttributeNS(SOAP11_NS, 'mustUnderstand') === '1') {
      throw new IoError('IO_SOAP_MUST_UNDERSTAND', 'A header entry is not understood.', {
        context: { header: (entry.localName ?? '').slice(0, 64) },
      });
    }
  }
}

async function principalOf(
  soap: SoapBindingOptions,
  certificate: Certificate,
): Promise<Principal | undefined> {
  try {
    return await soap.resolvePrincipal(certificate);
  } catch (err) {
    if (InteropError.is(err, 'QC_PRINCIPAL_UNKNOWN')) return undefined;
    throw err;
  }
}
