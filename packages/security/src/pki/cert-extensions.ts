// Decodes the certificate extensions path validation reads (RFC 5280 4.2) into plain values.

import type * as asn1js from 'asn1js';
import type * as pkijs from 'pkijs';
import { SecurityError } from '../errors.js';
import {
  bool,
  children,
  contentBytes,
  contextTag,
  DerShapeError,
  hex,
  namedBits,
  oid,
  parseDer,
  smallInteger,
} from './der-read.js';
import { readGeneralName, readGeneralNames, type GeneralNameView } from './general-names.js';
import { keyUsageNames, type KeyUsageName } from './key-usage.js';
import { readDistributionPointName, type DistributionPointName } from './distribution-point.js';
import { EXT } from './oids.js';

/** One permitted or excluded subtree of a nameConstraints extension (RFC 5280 4.2.1.10). */
export type GeneralSubtree = GeneralNameView;

/** One distribution point of a cRLDistributionPoints extension (RFC 5280 4.2.1.13). */
export interface DistributionPoint {
  readonly name?: DistributionPointName;
  /** ReasonFlags as a named-bit mask; undefined means all reasons. */
  readonly reasons?: number;
  readonly crlIssuer?: readonly GeneralNameView[];
}

/** The decoded extensions of one certificate. Absent extensions are undefined. */
export interface CertificateExtensions {
  readonly basicConstraints?: { readonly ca: boolean; readonly pathLen?: number };
  readonly keyUsage?: ReadonlySet<KeyUsageName>;
  readonly extKeyUsage?: readonly string[];
  /** Policy OIDs of certificatePolicies, in order; qualifiers are ignored (RFC 5280 6.1.3 (d)). */
  readonly policies?: readonly string[];
  readonly policyMappings?: readonly { readonly issuer: string; readonly subject: string }[];
  readonly policyConstraints?: {
    readonly requireExplicitPolicy?: number;
    readonly inhibitPolicyMapping?: number;
  };
  readonly inhibitAnyPolicy?: number;
  readonly nameConstraints?: {
    readonly permitted?: readonly GeneralSubtree[];
    readonly excluded?: readonly GeneralSubtree[];
  };
  readonly subjectAltNames?: readonly GeneralNameView[];
  readonly authorityKeyId?: string;
  readonly subjectKeyId?: string;
  readonly crlDistributionPoints?: readonly DistributionPoint[];
  /** OIDs of critical extensions this validator does not process. */
  readonly unknownCritical: readonly string[];
}

/** Extensions the validator processes or may safely ignore when critical. */
const UNDERSTOOD = new Set<string>([
  EXT.subjectKeyIdentifier,
  EXT.keyUsage,
  EXT.subjectAltName,
  EXT.issuerAltName,
  EXT.basicConstraints,
  EXT.nameConstraints,
  EXT.crlDistributionPoints,
  EXT.certificatePolicies,
  EXT.policyMappings,
  EXT.authorityKeyIdentifier,
  EXT.policyConstraints,
  EXT.extKeyUsage,
  EXT.inhibitAnyPolicy,
]);

const cache = new WeakMap<pkijs.Certificate, CertificateExtensions>();

/**
 * Decodes the extensions of a certificate once (cached per certificate).
 *
 * @throws SecurityError `PKI_CERT_MALFORMED` when an extension is duplicated or cannot be decoded.
 */
export function certificateExtensions(cert: pkijs.Certificate): CertificateExtensions {
  const hit = cache.get(cert);
  if (hit) return hit;

  const out: Record<string, unknown> = {};
  const unknownCritical: string[] = [];
  const seen = new Set<string>();
  for (const ext of cert.extensions ?? []) {
    // RFC 5280 4.2: a certificate MUST NOT include more than one instance of an extension.
    if (seen.has(ext.extnID)) malformed(ext.extnID, 'duplicated');
    seen.add(ext.extnID);
    if (ext.critical && !UNDERSTOOD.has(ext.extnID)) unknownCritical.push(ext.extnID);
    try {
      decodeInto(out, ext.extnID, parseDer(ext.extnValue.valueBlock.valueHexView));
    } catch (cause) {
      if (cause instanceof DerShapeError) malformed(ext.extnID, cause.message, cause);
      throw cause;
    }
  }

  const made = Object.freeze({ ...out, unknownCritical }) as CertificateExtensions;
  cache.set(cert, made);
  return made;
}

function decodeInto(out: Record<string, unknown>, id: string, value: asn1js.AsnType): void {
  switch (id) {
    case EXT.basicConstraints: {
      const [first, second] = children(value);
      const hasCa = first !== undefined && first.idBlock.tagNumber === 1;
      const lenBlock = hasCa ? second : first;
      out.basicConstraints = {
        ca: hasCa ? bool(first) : false,
        pathLen: lenBlock ? smallInteger(lenBlock) : undefined,
      };
      return;
    }
    case EXT.keyUsage:
      out.keyUsage = keyUsageNames(namedBits(value));
      return;
    case EXT.extKeyUsage:
      out.extKeyUsage = children(value).map(oid);
      return;
    case EXT.certificatePolicies:
      out.policies = children(value).map((info) => {
        const [policyId] = children(info);
        if (!policyId) throw new DerShapeError('empty PolicyInformation');
        return oid(policyId);
      });
      return;
    case EXT.policyMappings:
      out.policyMappings = children(value).map((pair) => {
        const [issuer, subject] = children(pair);
        if (!issuer || !subject) throw new DerShapeError('incomplete PolicyMapping');
        return { issuer: oid(issuer), subject: oid(subject) };
      });
      return;
    case EXT.policyConstraints: {
      const constraints: Record<string, number> = {};
      for (const item of children(value)) {
        const tag = contextTag(item);
        if (tag === 0) constraints.requireExplicitPolicy = smallInteger(item);
        else if (tag === 1) constraints.inhibitPolicyMapping = smallInteger(item);
        else throw new DerShapeError('unexpected PolicyConstraints field');
      }
      out.policyConstraints = constraints;
      return;
    }
    case EXT.inhibitAnyPolicy:
      out.inhibitAnyPolicy = smallInteger(value);
      return;
    case EXT.nameConstraints:
      out.nameConstraints = readNameConstraints(value);
      return;
    case EXT.subjectAltName:
      out.subjectAltNames = readGeneralNames(value);
      return;
    case EXT.authorityKeyIdentifier: {
      const keyId = children(value).find((item) => contextTag(item) === 0);
      out.authorityKeyId = keyId ? hex(contentBytes(keyId)) : undefined;
      return;
    }
    case EXT.subjectKeyIdentifier:
      out.subjectKeyId = hex(contentBytes(value));
      return;
    case EXT.crlDistributionPoints:
      out.crlDistributionPoints = children(value).map(readDistributionPoint);
      return;
    default:
      return;
  }
}

function readNameConstraints(value: asn1js.AsnType): CertificateExtensions['nameConstraints'] {
  const result: { permitted?: GeneralSubtree[]; excluded?: GeneralSubtree[] } = {};
  for (const item of children(value)) {
    // GeneralSubtree ::= SEQUENCE { base GeneralName, minimum [0] DEFAULT 0, maximum [1] OPTIONAL }
    const subtrees = children(item).map((subtree) => {
      const [base] = children(subtree);
      if (!base) throw new DerShapeError('empty GeneralSubtree');
      return readGeneralName(base);
    });
    if (contextTag(item) === 0) result.permitted = subtrees;
    else if (contextTag(item) === 1) result.excluded = subtrees;
    else throw new DerShapeError('unexpected NameConstraints field');
  }
  return result;
}

function readDistributionPoint(point: asn1js.AsnType): DistributionPoint {
  const result: { name?: DistributionPointName; reasons?: number; crlIssuer?: GeneralNameView[] } =
    {};
  for (const item of children(point)) {
    const tag = contextTag(item);
    if (tag === 0) result.name = readDistributionPointName(item);
    else if (tag === 1) result.reasons = namedBits(item);
    else if (tag === 2) result.crlIssuer = readGeneralNames(item);
    else throw new DerShapeError('unexpected DistributionPoint field');
  }
  return result;
}

function malformed(extension: string, reason: string, cause?: unknown): never {
  throw new SecurityError(
    'PKI_CERT_MALFORMED',
    `A certificate extension is malformed (${reason}).`,
    {
      context: { extension },
      cause,
    },
  );
}
