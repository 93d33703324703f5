// Builds the DER of an OCSP request for one certificate (RFC 6960 4.1), with an optional nonce.

import { randomBytes } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { Certificate } from '../certificate.js';
import { createCertId, type CertIdHash } from './cert-id.js';
import { OID_OCSP_NONCE } from './ocsp-oids.js';

/** Options of {@link buildOcspRequest}. */
export interface OcspRequestOptions {
  /** Hash of the CertID; default `sha256` (see the README for why, and when to use `sha1`). */
  certIdHash?: CertIdHash;
  /** Add a random 32-byte nonce (RFC 8954 2.1); default false. */
  nonce?: boolean;
}

/** A built OCSP request. */
export interface OcspRequest {
  /** The DER of the OCSPRequest, ready to POST. */
  readonly der: Uint8Array;
  /** The CertID asked about. */
  readonly certId: pkijs.CertID;
  /** The nonce sent, if any. */
  readonly nonce?: Uint8Array;
}

/**
 * Builds an unsigned OCSP request asking about `cert`, issued by `issuer`.
 *
 * @param cert - the certificate whose status is wanted.
 * @param issuer - the certificate of the CA that issued `cert`.
 * @param options - CertID hash (default SHA-256) and nonce (default none).
 * @example
 * ```ts
 * const { der } = buildOcspRequest(leaf, ca, { nonce: true });
 * ```
 */
export function buildOcspRequest(
  cert: Certificate,
  issuer: Certificate,
  options: OcspRequestOptions = {},
): OcspRequest {
  const certId = createCertId(cert, issuer, options.certIdHash ?? 'sha256');
  const request = new pkijs.OCSPRequest();
  request.tbsRequest.requestList = [new pkijs.Request({ reqCert: certId })];

  // RFC 8954 2.1: the nonce is an OCTET STRING of 1 to 32 bytes, wrapped in extnValue.
  const nonce = options.nonce === true ? new Uint8Array(randomBytes(32)) : undefined;
  if (nonce) {
    request.tbsRequest.requestExtensions = [
      new pkijs.Extension({
        extnID: OID_OCSP_NONCE,
        extnValue: new asn1js.OctetString({ valueHex: nonce }).toBER(false),
      }),
    ];
  }

  const der = new Uint8Array(request.toSchema(true).toBER(false));
  return nonce ? { der, certId, nonce } : { der, certId };
}
