// Verifies a SOAP 1.1 message signed under WS-Security: the Body and the Timestamp, hardened.

import type { Document, Element } from '@xmldom/xmldom';
import { systemClock } from '@interop-blocks/core';
import { SecurityError } from '../errors.js';
import type { Certificate } from '../pki/certificate.js';
import { checkDigests, checkSignatureValue, resolveReferences } from './check-signature.js';
import { parseAndIndex } from './parse-xml.js';
import { readSignature } from './read-signature.js';
import { soapParts, type SoapParts } from './soap-structure.js';
import { checkTimestamp, type SoapTimestamp } from './timestamp.js';
import { DEFAULT_MIN_RSA_BITS, type XmlVerifyOptions } from './verify-options.js';
import { onlySignature } from './verify-xml.js';

/** Options of {@link verifySoapEnvelope}. */
export interface VerifySoapOptions extends XmlVerifyOptions {
  /** Refuse a message without a signed wsu:Timestamp. Default true. */
  requireTimestamp?: boolean;
  /** Tolerated clock difference with the sender, in ms. Default 60 000. */
  clockSkewMs?: number;
  /** Oldest accepted Timestamp Created, in ms before now. Default 300 000 (5 minutes). */
  maxAgeMs?: number;
}

/** What {@link verifySoapEnvelope} proved. */
export interface VerifiedSoapEnvelope {
  /** The signed soap:Body, the one to read: never look it up again in `document`. */
  readonly body: Element;
  /** The signed, fresh Timestamp (null only when `requireTimestamp` is false and none was sent). */
  readonly timestamp: SoapTimestamp | null;
  /** The signer's certificate, as accepted by the trust source. */
  readonly signer: Certificate;
  /** The validated chain, leaf first, when the trust source reports one. */
  readonly chain: readonly Certificate[];
  /** The parsed document (comments removed). */
  readonly document: Document;
}

/**
 * Verifies a SOAP 1.1 envelope whose wsse:Security header holds one XML-DSig signature over the
 * soap:Body and the wsu:Timestamp, and nothing else. The References must resolve, by unique
 * ids, to exactly the Body child of the Envelope and the Timestamp child of the Security header;
 * anything else is treated as signature wrapping. The key comes from `trust` only.
 *
 * @param xml - The SOAP message as received.
 * @param options - Trust source, clock, freshness, limits and policy.
 * @returns The verified Body, Timestamp and signer.
 * @throws SecurityError the codes of {@link verifyXml}, plus `XML_SOAP_MALFORMED`,
 *   `XML_TIMESTAMP_MISSING`, `XML_TIMESTAMP_MALFORMED`, `XML_TIMESTAMP_EXPIRED`,
 *   `XML_TIMESTAMP_FUTURE`.
 * @example
 * ```ts
 * const { body, signer } = await verifySoapEnvelope(await req.text(), { trust: validator });
 * const query = readSoapPayload(body);
 * ```
 */
export async function verifySoapEnvelope(
  xml: string | Uint8Array,
  options: VerifySoapOptions,
): Promise<VerifiedSoapEnvelope> {
  options.signal?.throwIfAborted();
  const { document, index } = parseAndIndex(xml, options);
  const parts = soapParts(document);
  const signature = onlySignature(index);
  if (!parts.securitySignatures.includes(signature)) {
    throw new SecurityError('XML_WRAPPING', 'The Signature is not in the Security header.');
  }
  if (!parts.timestamp && (options.requireTimestamp ?? true)) {
    throw new SecurityError('XML_TIMESTAMP_MISSING', 'The Security header has no Timestamp.');
  }

  // Exclusive c14n only: intermediaries re-wrap SOAP messages, which inclusive c14n cannot survive.
  const read = readSignature(signature, {
    allowSha1: options.allowSha1 ?? false,
    allowInclusiveC14n: false,
  });
  const signed = resolveReferences(read, index, document);
  checkCoverage(parts, signed);
  checkDigests(read, signed);
  const clock = options.clock ?? systemClock;
  const signer = await checkSignatureValue(read, index, options.trust, {
    time: new Date(clock.now()),
    requiredKeyUsage: options.requiredKeyUsage,
    signal: options.signal,
    minRsaBits: options.minRsaBits ?? DEFAULT_MIN_RSA_BITS,
  });

  const timestamp = parts.timestamp
    ? checkTimestamp(parts.timestamp, {
        now: clock.now(),
        clockSkewMs: options.clockSkewMs ?? 60_000,
        maxAgeMs: options.maxAgeMs ?? 300_000,
      })
    : null;
  return {
    body: parts.body,
    timestamp,
    signer: signer.certificate,
    chain: signer.chain ?? [signer.certificate],
    document,
  };
}

// The signed set must be exactly {Body, Timestamp}: the elements found by structure, not just
// elements with those names (a signed Body moved elsewhere is the classic wrapping attack).
function checkCoverage(parts: SoapParts, signed: readonly Element[]): void {
  const expected = parts.timestamp ? [parts.body, parts.timestamp] : [parts.body];
  for (const element of expected) {
    if (signed.includes(element)) continue;
    const lookalike = signed.some((s) => s.localName === element.localName);
    throw new SecurityError(
      lookalike ? 'XML_WRAPPING' : 'XML_REFERENCE_UNEXPECTED',
      `The ${element.localName} that would be read is not the one that was signed.`,
      { context: { element: element.localName } },
    );
  }
  if (signed.length !== expected.length) {
    throw new SecurityError('XML_REFERENCE_UNEXPECTED', 'The Signature signs more than expected.', {
      context: { references: signed.length, expected: expected.length },
    });
  }
}
