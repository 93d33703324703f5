// Summarises what a certificate says about its qualified status (ETSI EN 319 412-5, 319 412-1).

import type { Certificate } from '../pki/certificate.js';
import type { PdsLocation } from './encode-qc-statements.js';
import { readCertificatePolicies, type CertificatePolicy } from './read-certificate-policies.js';
import { readQcStatements, type QcStatements, type QcType } from './read-qc-statements.js';
import { SEMANTICS_IDENTIFIER_OIDS } from './qualified-oids.js';
import { trySemanticIdentifier, type SemanticIdentifier } from './semantic-identifier.js';

/** What a certificate claims about itself; trust comes only from a validated path. */
export interface QualifiedStatus {
  /** QcCompliance is present: the issuer claims an EU qualified certificate. */
  readonly qualified: boolean;
  /** QcSSCD is present: the key is claimed to be in a qualified creation device. */
  readonly qscd: boolean;
  /** QcType values; empty when the statement is absent (see the README on defaults). */
  readonly types: readonly QcType[];
  readonly pds: readonly PdsLocation[];
  readonly retentionYears?: number;
  /** Certificate policies, ETSI ones named. */
  readonly policies: readonly CertificatePolicy[];
  /** The subject's ETSI EN 319 412-1 identifier, when it carries one. */
  readonly semanticIdentifier?: SemanticIdentifier;
  /** Every statement as read, for what the summary leaves out. */
  readonly statements?: QcStatements;
}

const ORGANIZATION_IDENTIFIER = '2.5.4.97';
const SERIAL_NUMBER = '2.5.4.5';

/**
 * Reads the qualified status a certificate claims: QcStatements (ETSI EN 319 412-5), policy OIDs
 * (ETSI EN 319 411-1/-2) and the subject's semantic identifier (ETSI EN 319 412-1). A claim is not
 * trust: accept it only for a certificate validated to a trusted-list anchor for qualified CAs.
 *
 * @throws SecurityError `QC_STATEMENTS_MALFORMED`, `QC_POLICIES_MALFORMED`.
 * @example
 * ```ts
 * const status = describeQualifiedStatus(leaf);
 * if (status.qualified && status.types.includes('eseal')) accept(status.semanticIdentifier);
 * ```
 */
export function describeQualifiedStatus(certificate: Certificate): QualifiedStatus {
  const statements = readQcStatements(certificate);
  const policies = readCertificatePolicies(certificate);
  const semanticIdentifier = subjectIdentifier(certificate, statements?.semanticsIdentifier);

  return Object.freeze({
    qualified: statements?.compliance ?? false,
    qscd: statements?.sscd ?? false,
    types: statements?.types ?? [],
    pds: statements?.pds ?? [],
    ...(statements?.retentionYears !== undefined
      ? { retentionYears: statements.retentionYears }
      : {}),
    policies,
    ...(semanticIdentifier ? { semanticIdentifier } : {}),
    ...(statements ? { statements } : {}),
  });
}

/**
 * ETSI EN 319 412-1 5.1: the semantics identifier statement says which attribute to read; without
 * it, organizationIdentifier (legal person), else serialNumber (natural person), when it parses.
 */
function subjectIdentifier(
  certificate: Certificate,
  semantics?: string,
): SemanticIdentifier | undefined {
  const orgId = certificate.subject.get(ORGANIZATION_IDENTIFIER);
  const serial = certificate.subject.get(SERIAL_NUMBER);
  const S = SEMANTICS_IDENTIFIER_OIDS;
  if (semantics === S.legal || semantics === S.eidasLegal)
    return trySemanticIdentifier(orgId, 'legal');
  if (semantics === S.natural || semantics === S.eidasNatural)
    return trySemanticIdentifier(serial, 'natural');
  return trySemanticIdentifier(orgId, 'legal') ?? trySemanticIdentifier(serial, 'natural');
}
