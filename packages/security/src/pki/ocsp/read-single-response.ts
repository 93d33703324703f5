// Picks the SingleResponse about a certificate and reads its status and freshness (RFC 6960 3.2).

import * as asn1js from 'asn1js';
import type * as pkijs from 'pkijs';
import { SecurityError } from '../../errors.js';
import type { Certificate } from '../certificate.js';
import { certIdNames, sameBytes } from './cert-id.js';
import { OID_OCSP_NONCE } from './ocsp-oids.js';
import { reasonFromCode, type RevocationReason } from '../crl-reason.js';
import type { RevocationStatus } from '../revocation.js';

/** Limits on how old a response may be. */
export interface FreshnessPolicy {
  now: Date;
  clockSkewMs: number;
  /** Oldest thisUpdate accepted when the response has no nextUpdate. */
  maxAgeMs: number;
}

/**
 * Returns the one SingleResponse whose CertID names `cert` issued by `issuer`.
 * @throws SecurityError `PKI_OCSP_RESPONSE_INVALID` when none does (a reply about another
 *   certificate) or several do.
 */
export function findSingleResponse(
  basic: pkijs.BasicOCSPResponse,
  cert: Certificate,
  issuer: Certificate,
): pkijs.SingleResponse {
  // RFC 6960 3.2 (1): the certificate identified in the response is the one asked about.
  const matches = basic.tbsResponseData.responses.filter((r) =>
    certIdNames(r.certID, cert, issuer),
  );
  if (matches.length !== 1) {
    throw new SecurityError(
      'PKI_OCSP_RESPONSE_INVALID',
      'The OCSP response does not answer for the certificate asked about exactly once.',
      { context: { reason: matches.length === 0 ? 'cert-id-mismatch' : 'cert-id-repeated' } },
    );
  }
  return matches[0]!;
}

/**
 * Checks thisUpdate and nextUpdate against `policy.now`.
 * @throws SecurityError `PKI_OCSP_STALE` (past nextUpdate, or older than the limit when there is
 *   no nextUpdate), `PKI_OCSP_RESPONSE_INVALID` (thisUpdate in the future).
 */
export function checkFreshness(single: pkijs.SingleResponse, policy: FreshnessPolicy): void {
  const now = policy.now.getTime();
  const thisUpdate = single.thisUpdate.getTime();

  // RFC 6960 4.2.2.1: responses whose thisUpdate is in the future are not to be used.
  if (thisUpdate > now + policy.clockSkewMs) {
    throw new SecurityError('PKI_OCSP_RESPONSE_INVALID', 'The OCSP response is from the future.', {
      context: { reason: 'this-update-in-future' },
    });
  }
  // RFC 6960 3.2 (6): when nextUpdate is set, it is later than the current time.
  if (single.nextUpdate && single.nextUpdate.getTime() < now - policy.clockSkewMs) {
    throw new SecurityError('PKI_OCSP_STALE', 'The OCSP response is past its nextUpdate.', {
      context: { nextUpdate: single.nextUpdate.toISOString() },
    });
  }
  // RFC 6960 3.2 (5): thisUpdate is sufficiently recent (the local limit, without nextUpdate).
  if (!single.nextUpdate && thisUpdate + policy.maxAgeMs < now - policy.clockSkewMs) {
    throw new SecurityError('PKI_OCSP_STALE', 'The OCSP response is older than allowed.', {
      context: { thisUpdate: single.thisUpdate.toISOString(), maxAgeMs: policy.maxAgeMs },
    });
  }
}

/** The status a responder gave, before it is applied to a validation time. */
export interface CertStatus {
  readonly status: RevocationStatus['status'];
  readonly reason?: RevocationReason;
  readonly revokedAt?: Date;
}

/** Reads the CertStatus of `single` (RFC 6960 4.2.1). */
export function readCertStatus(single: pkijs.SingleResponse): CertStatus {
  const status = single.certStatus as asn1js.BaseBlock;
  const { tagClass, tagNumber } = status.idBlock;
  if (tagClass === 3 && tagNumber === 0) return { status: 'good' };
  if (tagClass === 3 && tagNumber === 2) return { status: 'unknown' };

  // revoked [1] IMPLICIT RevokedInfo { revocationTime, revocationReason [0] EXPLICIT OPTIONAL }
  const parts = status instanceof asn1js.Constructed ? status.valueBlock.value : [];
  const revokedTime = parts[0];
  if (!(tagClass === 3 && tagNumber === 1 && revokedTime instanceof asn1js.GeneralizedTime)) {
    throw new SecurityError(
      'PKI_OCSP_RESPONSE_INVALID',
      'The OCSP certificate status is unknown.',
      {
        context: { reason: 'cert-status' },
      },
    );
  }
  const revokedAt = revokedTime.toDate();
  const reason = reasonName(parts[1]);
  return { status: 'revoked', revokedAt, ...(reason ? { reason } : {}) };
}

/**
 * The status at `time`: a certificate revoked after `time` was good at `time` (RFC 5280 6.1.3
 * (a)(3) asks whether it was revoked at the validation time); it is reported `good` with
 * `revokedAt` set, so the caller still sees the revocation.
 */
export function statusAt(status: CertStatus, time: Date): CertStatus {
  if (status.status !== 'revoked' || !status.revokedAt) return status;
  return status.revokedAt.getTime() > time.getTime() ? { ...status, status: 'good' } : status;
}

/**
 * Checks that the response echoes `nonce` (RFC 8954 2.1).
 * @throws SecurityError `PKI_OCSP_RESPONSE_INVALID` when the nonce is missing or differs.
 */
export function checkNonce(basic: pkijs.BasicOCSPResponse, nonce: Uint8Array): void {
  const ext = basic.tbsResponseData.responseExtensions?.find((e) => e.extnID === OID_OCSP_NONCE);
  const value = ext?.extnValue.valueBlock.valueHexView;
  const inner = value ? asn1js.fromBER(value).result : undefined;
  const echoed = inner instanceof asn1js.OctetString ? inner.valueBlock.valueHexView : value;
  if (!echoed || !sameBytes(echoed, nonce)) {
    throw new SecurityError(
      'PKI_OCSP_RESPONSE_INVALID',
      'The OCSP response nonce does not match.',
      {
        context: { reason: echoed ? 'nonce-mismatch' : 'nonce-missing' },
      },
    );
  }
}

function reasonName(block: asn1js.AsnType | undefined): RevocationReason | undefined {
  if (!(block instanceof asn1js.Constructed)) return undefined;
  const value = block.valueBlock.value[0];
  return value instanceof asn1js.Enumerated ? reasonFromCode(value.valueBlock.valueDec) : undefined;
}
