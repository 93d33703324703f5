// Reads the certificate policy OIDs of a certificate (RFC 5280 4.2.1.4) and names ETSI ones.

import * as asn1js from 'asn1js';
import { SecurityError } from '../errors.js';
import type { Certificate } from '../pki/certificate.js';
import {
  ANY_POLICY_OID,
  ETSI_POLICY_OIDS,
  ETSI_QUALIFIED_POLICY_OIDS,
  type EtsiPolicyName,
} from './qualified-oids.js';

const CERTIFICATE_POLICIES_OID = '2.5.29.32';

/** One policy of a certificate. */
export interface CertificatePolicy {
  readonly oid: string;
  /** The ETSI short name (`QCP-l-qscd`, `NCP+`, ...) or `anyPolicy`, when known. */
  readonly name?: EtsiPolicyName | 'anyPolicy';
  /** True for the policies of EU qualified certificates (ETSI EN 319 411-2 5.3). */
  readonly qualified: boolean;
}

const NAMES: ReadonlyMap<string, EtsiPolicyName> = new Map(
  [...Object.entries(ETSI_QUALIFIED_POLICY_OIDS), ...Object.entries(ETSI_POLICY_OIDS)].map(
    ([name, oid]) => [oid, name as EtsiPolicyName],
  ),
);
const QUALIFIED = new Set<string>(Object.values(ETSI_QUALIFIED_POLICY_OIDS));

/**
 * Lists the policies of `certificate`, in certificate order; empty without the extension.
 *
 * @throws SecurityError `QC_POLICIES_MALFORMED` when the extension is not valid DER of
 *   `SEQUENCE OF PolicyInformation` or lists a policy twice (RFC 5280 4.2.1.4).
 */
export function readCertificatePolicies(certificate: Certificate): CertificatePolicy[] {
  const extension = certificate.raw.extensions?.find((e) => e.extnID === CERTIFICATE_POLICIES_OID);
  if (!extension) return [];

  const der = extension.extnValue.valueBlock.valueHexView;
  const decoded = asn1js.fromBER(der);
  const top = decoded.result;
  if (decoded.offset !== der.byteLength || !(top instanceof asn1js.Sequence)) {
    malformed('certificatePolicies is not a SEQUENCE.');
  }
  if (top.valueBlock.value.length === 0) malformed('certificatePolicies is empty.');

  const seen = new Set<string>();
  return top.valueBlock.value.map((info) => {
    // PolicyInformation ::= SEQUENCE { policyIdentifier OID, policyQualifiers SEQUENCE OPTIONAL }
    const first = info instanceof asn1js.Sequence ? info.valueBlock.value[0] : undefined;
    if (!(first instanceof asn1js.ObjectIdentifier)) malformed('A PolicyInformation has no OID.');
    const oid = first.getValue();
    if (seen.has(oid)) malformed('A policy appears twice.');
    seen.add(oid);
    const name = oid === ANY_POLICY_OID ? 'anyPolicy' : NAMES.get(oid);
    return Object.freeze({ oid, ...(name ? { name } : {}), qualified: QUALIFIED.has(oid) });
  });
}

function malformed(message: string): never {
  throw new SecurityError('QC_POLICIES_MALFORMED', message);
}
