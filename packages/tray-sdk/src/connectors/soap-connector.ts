// The SOAP/XML connector: WS-Security signed envelopes out, signed answers verified, Faults mapped.

import type { KeyObject } from 'node:crypto';
import { InteropError } from '@interop-blocks/core';
import {
  buildSoapEnvelope,
  parseXmlSafely,
  readSoapPayload,
  signSoapEnvelope,
  verifySoapEnvelope,
  type Certificate,
  type XmlSignerTrust,
} from '@interop-blocks/security';
import type { Connector, ConnectorContext, Enquiry, RawOutcome } from './connector.js';
import { sha256Base64url } from './evidence.js';
import { exchange } from './http-exchange.js';
import { failAll, failedOutcome, failureOfStatus, permanent } from './outcomes.js';
import { faultFailure, findFault, outcomeOfPayload, soapPayload } from './soap-messages.js';
import type { SourcePools } from './source-pools.js';
import type { XmlNodeLike } from './xml-to-json.js';

/** What the SOAP connector needs. */
export interface SoapConnectorOptions {
  pools: SourcePools;
  /**
   * The enquirer's signing key and certificate (then its chain) for WS-Security. The chain
   * travels in KeyInfo/X509Data by default so that the source can build the path; set
   * `keyInfo: 'binary-security-token'` for sources that want the token (signer only).
   */
  signing: {
    privateKey: KeyObject;
    certificates: readonly Certificate[];
    keyInfo?: 'binary-security-token' | 'x509-data';
  };
  /** Trust in the sources' answer signatures: a `CertificateValidator` or a resolver. */
  trust: XmlSignerTrust;
}

/**
 * Creates the connector of `soap` transports: one SOAP 1.1 request per enquiry, the operation
 * element built with xmlbuilder2 in the source's namespace, signed under WS-Security (Body and
 * Timestamp) with `signSoapEnvelope`, POSTed with the transport's `SOAPAction`. A Fault (signed
 * or not, any status) fails with its code; any other answer must verify with
 * `verifySoapEnvelope` against `trust`, and its payload is turned into plain JSON for the
 * engine's mapping.
 *
 * @example
 * ```ts
 * const soap = createSoapConnector({ pools, signing: { privateKey, certificates }, trust: validator
 * });
 * ```
 */
export function createSoapConnector(options: SoapConnectorOptions): Connector {
  return {
    kind: 'soap',
    async send(batch, context) {
      const transport = context.source.declaration.transport;
      if (transport.kind !== 'soap') {
        return failAll(batch, permanent('TRAY_REQUEST_INVALID', 'The source is not SOAP.'));
      }
      return Promise.all(batch.map((enquiry) => sendSoap(enquiry, context, options)));
    },
    close: () => options.pools.close(),
  };
}

async function sendSoap(
  enquiry: Enquiry,
  context: ConnectorContext,
  options: SoapConnectorOptions,
): Promise<RawOutcome> {
  const transport = context.source.declaration.transport as Extract<
    typeof context.source.declaration.transport,
    { kind: 'soap' }
  >;
  let signed: string;
  try {
    const envelope = buildSoapEnvelope(
      soapPayload(enquiry, transport.operation, transport.namespace),
    );
    signed = signSoapEnvelope(envelope, {
      privateKey: options.signing.privateKey,
      certificates: options.signing.certificates,
      keyInfo: options.signing.keyInfo ?? 'x509-data',
      clock: context.clock,
    });
  } catch (err) {
    if (!InteropError.is(err)) throw err;
    const failure = permanent('TRAY_REQUEST_INVALID', `The envelope was not built (${err.code}).`);
    return failedOutcome(enquiry.requestId, failure);
  }
  const requestBody = Buffer.from(signed);

  const result = await exchange({
    url: transport.url,
    method: 'POST',
    headers: {
      'content-type': 'text/xml; charset=utf-8',
      soapaction: `"${transport.soapAction}"`,
    },
    body: requestBody,
    dispatcher: options.pools.agentFor(context.source),
    signal: context.signal,
  });
  if (!result.ok) return failedOutcome(enquiry.requestId, result.failure);
  const { reply } = result;

  let document: { documentElement: XmlNodeLike | null };
  try {
    document = parseXmlSafely(reply.body) as unknown as typeof document;
  } catch (err) {
    if (!InteropError.is(err)) throw err;
    if (reply.status !== 200)
      return failedOutcome(enquiry.requestId, failureOfStatus(reply.status));
    const failure = permanent('TRAY_ANSWER_MALFORMED', `The answer is not XML (${err.code}).`);
    return failedOutcome(enquiry.requestId, failure);
  }
  const fault = findFault(document);
  if (fault) return failedOutcome(enquiry.requestId, faultFailure(fault));
  if (reply.status !== 200) return failedOutcome(enquiry.requestId, failureOfStatus(reply.status));

  let payload: XmlNodeLike;
  let signer: string;
  try {
    const verified = await verifySoapEnvelope(reply.body, {
      trust: options.trust,
      clock: context.clock,
      signal: context.signal,
    });
    signer = verified.signer.fingerprintSha256;
    payload = readSoapPayload(verified.body) as unknown as XmlNodeLike;
  } catch (err) {
    if (!InteropError.is(err)) throw err;
    const code =
      err.code === 'XML_SOAP_MALFORMED' ? 'TRAY_ANSWER_MALFORMED' : 'TRAY_ANSWER_SIGNATURE_INVALID';
    const failure = permanent(code, `The answer does not verify (${err.code}).`);
    return failedOutcome(enquiry.requestId, failure);
  }

  return outcomeOfPayload(enquiry.requestId, payload, {
    requestHash: sha256Base64url(requestBody),
    answerHash: sha256Base64url(reply.body),
    signer,
  });
}
