// Extension profiles of the development PKI: root, intermediate, server, client, seal, person.

import type * as pkijs from 'pkijs';
import { encodeQcStatements, type QcStatementsInput } from '../qualified/encode-qc-statements.js';
import {
  ANY_POLICY_OID,
  ETSI_QUALIFIED_POLICY_OIDS,
  QC_STATEMENTS_EXTENSION_OID,
  SEMANTICS_IDENTIFIER_OIDS,
} from '../qualified/qualified-oids.js';
import {
  basicConstraints,
  certificatePolicies,
  crlDistributionPoint,
  extendedKeyUsage,
  extension,
  keyUsage,
  ocspAccess,
  subjectAltName,
  type DevKeyUsage,
} from './build-extensions.js';
import type { DevKeyAlgorithm } from './crypto-engine.js';

/** The certificate policy of the development PKI, under the example arc 2.999 (ITU-T X.660). */
export const DEV_PKI_POLICY_OID = '2.999.1.1';

/** Where end-entity certificates point for revocation data. */
export interface RevocationPointers {
  crlUrl?: string;
  ocspUrl?: string;
}

/** RFC 5280 4.2.1.9 and 4.2.1.3: a self-signed root, no policies (the anchor is not processed). */
export function rootExtensions(): pkijs.Extension[] {
  return [basicConstraints(true), keyUsage(['keyCertSign', 'cRLSign'])];
}

/** An intermediate CA: path length 0, anyPolicy so that every end-entity policy passes. */
export function intermediateExtensions(rootCrlUrl?: string): pkijs.Extension[] {
  return [
    basicConstraints(true, 0),
    keyUsage(['keyCertSign', 'cRLSign']),
    certificatePolicies([ANY_POLICY_OID]),
    ...(rootCrlUrl ? [crlDistributionPoint(rootCrlUrl)] : []),
  ];
}

/** A TLS server: serverAuth, SAN with DNS names and addresses. */
export function serverExtensions(
  algorithm: DevKeyAlgorithm,
  dnsNames: readonly string[],
  ips: readonly string[],
  pointers: RevocationPointers,
): pkijs.Extension[] {
  return [
    ...endEntity(signingUsage(algorithm), pointers),
    extendedKeyUsage(['serverAuth']),
    subjectAltName(dnsNames, ips),
    certificatePolicies([DEV_PKI_POLICY_OID]),
  ];
}

/** A TLS client of an organisation: clientAuth. */
export function clientExtensions(
  algorithm: DevKeyAlgorithm,
  pointers: RevocationPointers,
): pkijs.Extension[] {
  return [
    ...endEntity(signingUsage(algorithm), pointers),
    extendedKeyUsage(['clientAuth']),
    certificatePolicies([DEV_PKI_POLICY_OID]),
  ];
}

/** ETSI EN 319 412-3: a qualified-looking electronic seal of a legal person, QCP-l-qscd. */
export function sealExtensions(pdsUrl: string, pointers: RevocationPointers): pkijs.Extension[] {
  return [
    ...endEntity(['digitalSignature', 'nonRepudiation'], pointers),
    certificatePolicies([ETSI_QUALIFIED_POLICY_OIDS['QCP-l-qscd'], DEV_PKI_POLICY_OID]),
    qcStatements({
      semanticsIdentifier: SEMANTICS_IDENTIFIER_OIDS.legal,
      compliance: true,
      types: ['eseal'],
      sscd: true,
      pds: [{ url: pdsUrl, language: 'en' }],
    }),
  ];
}

/** ETSI EN 319 412-2: a qualified-looking signing certificate of a natural person, QCP-n-qscd. */
export function personExtensions(pdsUrl: string, pointers: RevocationPointers): pkijs.Extension[] {
  return [
    // ETSI EN 319 412-2 4.3.2: non-repudiation alone for certificates for electronic signatures.
    ...endEntity(['nonRepudiation'], pointers),
    certificatePolicies([ETSI_QUALIFIED_POLICY_OIDS['QCP-n-qscd'], DEV_PKI_POLICY_OID]),
    qcStatements({
      semanticsIdentifier: SEMANTICS_IDENTIFIER_OIDS.natural,
      compliance: true,
      types: ['esign'],
      sscd: true,
      pds: [{ url: pdsUrl, language: 'en' }],
      retentionYears: 10,
    }),
  ];
}

/** The common end-entity part: not a CA, key usage, revocation pointers. */
export function endEntity(
  usages: readonly DevKeyUsage[] | null,
  pointers: RevocationPointers,
): pkijs.Extension[] {
  return [
    basicConstraints(false),
    ...(usages ? [keyUsage(usages)] : []),
    ...(pointers.crlUrl ? [crlDistributionPoint(pointers.crlUrl)] : []),
    ...(pointers.ocspUrl ? [ocspAccess(pointers.ocspUrl)] : []),
  ];
}

/** RFC 3739 3.2.6: the QcStatements extension, not critical (ETSI EN 319 412-5 4.1). */
export function qcStatements(input: QcStatementsInput): pkijs.Extension {
  return extension(QC_STATEMENTS_EXTENSION_OID, false, encodeQcStatements(input));
}

function signingUsage(algorithm: DevKeyAlgorithm): DevKeyUsage[] {
  // RFC 8446 4.4.3 signs with the key; RSA key transport (TLS 1.2) also needs keyEncipherment.
  return algorithm === 'rsa-2048' ? ['digitalSignature', 'keyEncipherment'] : ['digitalSignature'];
}
