// Builds the signed XML batch of requests a file-exchanging source downloads.

import type { KeyObject } from 'node:crypto';
import { systemClock, type Clock } from '@interop-blocks/core';
import { signXml, type Certificate } from '@interop-blocks/security';
import { create } from 'xmlbuilder2';
import type { Lease } from '../types.js';
import { BATCH_NAMESPACE } from './batch-schema.js';

/** The hub's signing identity for batch files. */
export interface FileSigningOptions {
  privateKey: KeyObject;
  /** Signer certificate first, then its CAs; they go into KeyInfo/X509Data. */
  certificates: readonly (Certificate | Uint8Array)[];
  clock?: Clock;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * Writes the requests of a lease as a `RequestBatch` (see `schemas/async-batch.xsd`) and signs
 * the whole document with an enveloped XML-DSig signature (Security Platform's `signXml`).
 * Requests whose payload was purged are left out.
 *
 * @returns the signed document as UTF-8 text.
 * @throws SecurityError `XML_SIGN_FAILED`, `XML_KEY_TYPE_MISMATCH` from the signer.
 * @example
 * ```ts
 * const xml = buildRequestFile(lease, { privateKey, certificates: [hubCert] });
 * ```
 */
export function buildRequestFile(lease: Lease, options: FileSigningOptions): string {
  const clock = options.clock ?? systemClock;
  const root = create({ version: '1.0', encoding: 'UTF-8' }).ele(BATCH_NAMESPACE, 'RequestBatch', {
    version: '1',
    room: lease.room,
    leaseId: lease.leaseId,
    leasedUntil: iso(lease.until),
    createdAt: iso(clock.now()),
  });

  for (const request of lease.requests) {
    const query = request.query;
    if (!query) continue;
    const element = root.ele('Request', {
      requestId: request.requestId,
      issuedAt: query.issuedAt,
      submittedAt: iso(request.submittedAt),
      deadline: iso(request.deadline),
    });
    element.ele('Subject', { scheme: query.subject.scheme, id: query.subject.id });
    element.ele('Purpose').txt(query.purpose);
    element.ele('LegalBasis').txt(query.legalBasis);
    element.ele('Case').txt(query.case);
    element.ele('Organisation').txt(query.organisation);
    element.ele('Official').txt(query.official);
    if (query.period) element.ele('Period', { from: query.period.from, to: query.period.to });
    if (query.referenceDate) element.ele('ReferenceDate').txt(query.referenceDate);
  }

  const xml = root.end({ prettyPrint: true });
  return signXml(xml, { privateKey: options.privateKey, certificates: options.certificates });
}
