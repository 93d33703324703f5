// Issues an extra certificate with chosen usage, validity and subject (mostly for negative tests).

import type * as pkijs from 'pkijs';
import { SecurityError } from '../errors.js';
import type { DevSubject } from './build-name.js';
import {
  basicConstraints,
  certificatePolicies,
  extendedKeyUsage,
  extension,
  keyUsage,
  subjectAltName,
} from './build-extensions.js';
import type { DevKeyPair } from './crypto-engine.js';
import type { DevExtraCertificateOptions } from './dev-pki-options.js';
import { issueCertificate, type DevAuthority, type DevIssued } from './issue-certificate.js';
import { DEV_PKI_POLICY_OID, endEntity, qcStatements } from './profiles.js';
import type { ResolvedOptions } from './resolve-options.js';

/**
 * Issues `extra` under `issuer`.
 * @throws SecurityError `DEVPKI_NAME_UNKNOWN` (unknown organisation), `DEVPKI_OPTIONS_INVALID`,
 *   `DEVPKI_ISSUE_FAILED`.
 */
export async function issueExtra(
  extra: DevExtraCertificateOptions,
  o: ResolvedOptions,
  keys: DevKeyPair,
  issuer: DevAuthority,
): Promise<DevIssued> {
  const pointers = {
    crlUrl: o.crlBaseUrl && `${o.crlBaseUrl}/${issuer.issued.name}.crl`,
    ocspUrl: o.ocspUrl,
  };

  const extensions: pkijs.Extension[] = extra.ca
    ? caExtensions(extra)
    : endEntity(extra.keyUsage === undefined ? ['digitalSignature'] : extra.keyUsage, pointers);
  if (extra.extendedKeyUsage && extra.extendedKeyUsage.length > 0) {
    extensions.push(extendedKeyUsage(extra.extendedKeyUsage));
  }
  const dnsNames = extra.dnsNames ?? [];
  const ips = extra.ipAddresses ?? [];
  if (dnsNames.length + ips.length > 0) extensions.push(subjectAltName(dnsNames, ips));
  const policies = extra.policies ?? [DEV_PKI_POLICY_OID];
  if (policies.length > 0) extensions.push(certificatePolicies(policies));
  if (extra.qcStatements) extensions.push(qcStatements(extra.qcStatements));
  for (const raw of extra.rawExtensions ?? []) {
    if (!/^[0-2](\.(0|[1-9]\d*))+$/.test(raw.oid) || !(raw.value instanceof Uint8Array)) {
      throw new SecurityError('DEVPKI_OPTIONS_INVALID', 'A raw extension needs an OID and bytes.', {
        context: { name: extra.name },
      });
    }
    extensions.push(extension(raw.oid, raw.critical ?? false, raw.value));
  }

  return issueCertificate({
    name: extra.name,
    subject: subjectOf(extra, o),
    keys,
    issuer,
    notBefore: extra.notBefore ?? o.leafNotBefore,
    notAfter: extra.notAfter ?? o.leafNotAfter,
    extensions,
  });
}

function caExtensions(extra: DevExtraCertificateOptions): pkijs.Extension[] {
  const usages =
    extra.keyUsage === undefined ? ['keyCertSign' as const, 'cRLSign' as const] : extra.keyUsage;
  return [basicConstraints(true, extra.pathLength), ...(usages ? [keyUsage(usages)] : [])];
}

function subjectOf(extra: DevExtraCertificateOptions, o: ResolvedOptions): DevSubject {
  if (extra.organisation === undefined) {
    return { commonName: extra.name, ...extra.subject };
  }
  const org = o.organisations.find((candidate) => candidate.id === extra.organisation);
  if (!org) {
    throw new SecurityError(
      'DEVPKI_NAME_UNKNOWN',
      'An extra certificate names an unknown organisation.',
      {
        context: { name: extra.name, organisation: extra.organisation },
      },
    );
  }
  return {
    organisationName: org.name,
    organizationIdentifier: org.organizationIdentifier,
    commonName: extra.name,
    ...extra.subject,
  };
}
