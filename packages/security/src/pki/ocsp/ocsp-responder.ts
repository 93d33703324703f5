// A small OCSP responder (RFC 6960) as a node:http request handler, for tests and demos.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KeyObject } from 'node:crypto';
import * as pkijs from 'pkijs';
import { systemClock, type Clock } from '@interop-blocks/core';
import { SecurityError } from '../../errors.js';
import type { Certificate } from '../certificate.js';
import {
  buildOcspErrorResponse,
  buildSignedOcspResponse,
  wholeSeconds,
  type ResponderCertStatus,
  type ResponseEntry,
} from './build-ocsp-response.js';
import { certIdIssuedBy, certIdSerial } from './cert-id.js';
import { OID_OCSP_NONCE } from './ocsp-oids.js';
import { checkSignature, signData } from './sign-data.js';

/** A certificate with its private key. */
export interface CertificateWithKey {
  certificate: Certificate;
  key: KeyObject;
}

/** Options of {@link createOcspResponder}. */
export interface OcspResponderOptions {
  /** The CA whose certificates are answered for. */
  issuer: CertificateWithKey;
  /** A delegated responder (id-kp-OCSPSigning) that signs instead of the CA; default the CA. */
  responder?: CertificateWithKey;
  /** The status of the certificate with this serial (lower-case hex, as in `Certificate`). */
  statusOf(serialNumber: string): ResponderCertStatus | Promise<ResponderCertStatus>;
  /** ResponderID form; default `key` (RFC 6960 4.2.1 byKey). */
  responderIdBy?: 'key' | 'name';
  /** nextUpdate = thisUpdate + this, in ms; `null` leaves nextUpdate out. Default 3 600 000. */
  validityMs?: number | null;
  /** Largest request accepted, in bytes; default 16 384. */
  maxRequestBytes?: number;
  /** Source of thisUpdate and producedAt; default the system clock. */
  clock?: Clock;
}

/**
 * Creates an OCSP responder for the certificates of one CA, as a `node:http` request handler. It
 * answers POST (and GET with the base64 request in the path) per RFC 6960 appendix A.1, echoes a
 * nonce, and says `unknown` for certificates of other CAs.
 *
 * @throws SecurityError `PKI_OCSP_RESPONDER_CONFIG` when a key cannot sign or does not belong to
 *   its certificate.
 * @example
 * ```ts
 * const handler = createOcspResponder({
 *   issuer: { certificate: ca.certificate, key: ca.key },
 *   statusOf: (serial) =>
 *     revoked.has(serial) ? { status: 'revoked', revokedAt } : { status: 'good' },
 * });
 * http.createServer(handler).listen(0);
 * ```
 */
export function createOcspResponder(
  options: OcspResponderOptions,
): (req: IncomingMessage, res: ServerResponse) => void {
  const signer = options.responder ?? options.issuer;
  checkKeyPair(signer);
  const clock = options.clock ?? systemClock;
  const maxRequestBytes = options.maxRequestBytes ?? 16_384;
  const validityMs = options.validityMs === undefined ? 3_600_000 : options.validityMs;

  async function answer(der: Uint8Array): Promise<Uint8Array> {
    let request: pkijs.OCSPRequest;
    try {
      request = pkijs.OCSPRequest.fromBER(new Uint8Array(der));
    } catch {
      return buildOcspErrorResponse(1);
    }

    let entries: ResponseEntry[];
    try {
      entries = await Promise.all(
        request.tbsRequest.requestList.map(async ({ reqCert }) => ({
          certId: reqCert,
          status: certIdIssuedBy(reqCert, options.issuer.certificate)
            ? await options.statusOf(certIdSerial(reqCert))
            : ({ status: 'unknown' } as const),
        })),
      );
    } catch {
      return buildOcspErrorResponse(2);
    }

    const thisUpdate = wholeSeconds(new Date(clock.now()));
    const nonce = request.tbsRequest.requestExtensions?.filter((e) => e.extnID === OID_OCSP_NONCE);
    return buildSignedOcspResponse({
      entries,
      signer,
      includeSigner: options.responder !== undefined,
      responderIdBy: options.responderIdBy ?? 'key',
      thisUpdate,
      ...(validityMs === null ? {} : { nextUpdate: new Date(thisUpdate.getTime() + validityMs) }),
      ...(nonce?.length ? { extensions: nonce } : {}),
    });
  }

  return (req, res) => {
    readRequest(req, maxRequestBytes)
      .then((der) => (der ? answer(der) : buildOcspErrorResponse(1)))
      .then((body) => send(res, 200, body))
      .catch(() => send(res, 500, new Uint8Array()));
  };
}

/** RFC 6960 A.1: POST carries the DER; GET carries it base64 (URL-encoded) after the path. */
async function readRequest(req: IncomingMessage, limit: number): Promise<Uint8Array | undefined> {
  if (req.method === 'GET') {
    const last = decodeURIComponent((req.url ?? '').split('/').pop() ?? '');
    return last ? new Uint8Array(Buffer.from(last, 'base64')) : undefined;
  }
  if (req.method !== 'POST') return undefined;

  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.byteLength;
    if (size > limit) return undefined;
    chunks.push(chunk);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

function send(res: ServerResponse, status: number, body: Uint8Array): void {
  if (res.headersSent) return;
  res.writeHead(status, {
    'content-type': 'application/ocsp-response',
    'content-length': body.byteLength,
  });
  res.end(body);
}

function checkKeyPair({ certificate, key }: CertificateWithKey): void {
  const probe = new TextEncoder().encode('ocsp-responder-key-check');
  const { algorithm, signature } = signData(key, probe);
  if (checkSignature(algorithm, probe, signature, certificate.publicKey) !== 'valid') {
    throw new SecurityError(
      'PKI_OCSP_RESPONDER_CONFIG',
      'The responder key does not belong to its certificate.',
    );
  }
}
