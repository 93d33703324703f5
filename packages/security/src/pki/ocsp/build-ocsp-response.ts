// Builds and signs OCSP responses (RFC 6960 4.2.1) for the test and development responder.

import type { KeyObject } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { Certificate } from '../certificate.js';
import { keyHashOf } from './cert-id.js';
import { OID_OCSP_BASIC } from './ocsp-oids.js';
import type { RevocationReason } from '../crl-reason.js';
import { reasonCode } from './ocsp-types.js';
import { signData } from './sign-data.js';

/** The status a responder gives for one serial number. */
export type ResponderCertStatus =
  | { status: 'good' }
  | { status: 'revoked'; revokedAt: Date; reason?: RevocationReason }
  | { status: 'unknown' };

/** One answer of a response. */
export interface ResponseEntry {
  certId: pkijs.CertID;
  status: ResponderCertStatus;
}

/** What a signed response is made of. */
export interface BasicResponseInput {
  entries: readonly ResponseEntry[];
  signer: { certificate: Certificate; key: KeyObject };
  /** Embed the signer's certificate (for a delegated responder). */
  includeSigner: boolean;
  responderIdBy: 'key' | 'name';
  thisUpdate: Date;
  nextUpdate?: Date;
  /** Extensions echoed from the request (the nonce). */
  extensions?: pkijs.Extension[];
}

/** Builds, signs and wraps a successful OCSPResponse; returns its DER. */
export function buildSignedOcspResponse(input: BasicResponseInput): Uint8Array {
  const { certificate, key } = input.signer;
  const responderID =
    input.responderIdBy === 'name'
      ? certificate.raw.subject
      : new asn1js.OctetString({ valueHex: keyHashOf(certificate) });

  const data = new pkijs.ResponseData({
    responderID,
    producedAt: input.thisUpdate,
    responses: input.entries.map(
      (e) =>
        new pkijs.SingleResponse({
          certID: e.certId,
          certStatus: certStatusBlock(e.status),
          thisUpdate: input.thisUpdate,
          ...(input.nextUpdate ? { nextUpdate: input.nextUpdate } : {}),
        }),
    ),
    ...(input.extensions?.length ? { responseExtensions: input.extensions } : {}),
  });

  const tbs = new Uint8Array(data.toSchema(true).toBER(false));
  data.tbsView = tbs;
  const { algorithm, signature } = signData(key, tbs);
  const basic = new pkijs.BasicOCSPResponse({
    tbsResponseData: data,
    signatureAlgorithm: algorithm,
    signature: new asn1js.BitString({ valueHex: signature }),
    ...(input.includeSigner ? { certs: [certificate.raw] } : {}),
  });

  return wrap(0, new Uint8Array(basic.toSchema().toBER(false)));
}

/** An unsuccessful OCSPResponse (no responseBytes) with the given OCSPResponseStatus. */
export function buildOcspErrorResponse(responseStatus: 1 | 2 | 3 | 5 | 6): Uint8Array {
  return wrap(responseStatus);
}

function wrap(responseStatus: number, basicDer?: Uint8Array): Uint8Array {
  const response = new pkijs.OCSPResponse({
    responseStatus: new asn1js.Enumerated({ value: responseStatus }),
    ...(basicDer
      ? {
          responseBytes: new pkijs.ResponseBytes({
            responseType: OID_OCSP_BASIC,
            response: new asn1js.OctetString({ valueHex: basicDer }),
          }),
        }
      : {}),
  });
  return new Uint8Array(response.toSchema().toBER(false));
}

/** RFC 6960 4.2.1 CertStatus: good [0] NULL, revoked [1] RevokedInfo, unknown [2] NULL. */
function certStatusBlock(status: ResponderCertStatus): asn1js.BaseBlock {
  if (status.status === 'good') return implicitNull(0);
  if (status.status === 'unknown') return implicitNull(2);

  const value: asn1js.BaseBlock[] = [
    new asn1js.GeneralizedTime({ valueDate: wholeSeconds(status.revokedAt) }),
  ];
  if (status.reason) {
    value.push(
      new asn1js.Constructed({
        idBlock: { tagClass: 3, tagNumber: 0 },
        value: [new asn1js.Enumerated({ value: reasonCode(status.reason) })],
      }),
    );
  }
  return new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 1 }, value });
}

function implicitNull(tagNumber: number): asn1js.BaseBlock {
  return new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber } });
}

/** GeneralizedTime without fractions, as DER profiles expect (RFC 5280 4.1.2.5.2). */
export function wholeSeconds(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}
