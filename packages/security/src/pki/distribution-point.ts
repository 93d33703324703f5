// DistributionPointName (RFC 5280 4.2.1.13, 5.2.5): decoding and the full names it stands for.

import * as asn1js from 'asn1js';
import { children, contextTag, DerShapeError } from './der-read.js';
import { readGeneralNames, type GeneralNameView } from './general-names.js';
import { normaliseAttribute, type ComparableName } from './name-match.js';

/** A distribution point name: full names, or one RDN relative to the CRL issuer. */
export type DistributionPointName =
  | { readonly kind: 'fullName'; readonly names: readonly GeneralNameView[] }
  | { readonly kind: 'relative'; readonly rdn: readonly string[] };

/** Decodes the `[0] DistributionPointName` field (an explicit tag around the CHOICE). */
export function readDistributionPointName(field: asn1js.AsnType): DistributionPointName {
  const [choice] = children(field);
  if (!choice) throw new DerShapeError('empty DistributionPointName');
  const tag = contextTag(choice);
  if (tag === 0) return { kind: 'fullName', names: readGeneralNames(choice) };
  if (tag === 1) return { kind: 'relative', rdn: normaliseRdn(choice) };
  throw new DerShapeError('unexpected DistributionPointName choice');
}

/**
 * The full names a distribution point name stands for. A name relative to the CRL issuer is the
 * issuer's name with the RDN appended (RFC 5280 4.2.1.13).
 */
export function fullNames(
  name: DistributionPointName,
  crlIssuer: ComparableName,
): readonly GeneralNameView[] {
  if (name.kind === 'fullName') return name.names;
  const rdns = [...crlIssuer.rdns, name.rdn];
  return [{ kind: 'directoryName', name: { rdns, key: JSON.stringify(rdns) } }];
}

/** True when two lists of general names share at least one name (RFC 5280 6.3.3 (b)(2)(i)). */
export function anyNameInCommon(
  a: readonly GeneralNameView[],
  b: readonly GeneralNameView[],
): boolean {
  return a.some((x) => b.some((y) => sameGeneralName(x, y)));
}

function sameGeneralName(a: GeneralNameView, b: GeneralNameView): boolean {
  if (a.kind === 'directoryName' && b.kind === 'directoryName') return a.name.key === b.name.key;
  if (a.kind === 'iPAddress' && b.kind === 'iPAddress') {
    return Buffer.from(a.bytes).equals(Buffer.from(b.bytes));
  }
  if ('value' in a && 'value' in b && a.kind === b.kind) {
    return a.value.toLowerCase() === b.value.toLowerCase();
  }
  return false;
}

function normaliseRdn(set: asn1js.AsnType): string[] {
  // nameRelativeToCRLIssuer [1] IMPLICIT RelativeDistinguishedName: a SET of attributes.
  return children(set)
    .map((atv) => {
      const [type, value] = children(atv);
      if (!(type instanceof asn1js.ObjectIdentifier) || !value) {
        throw new DerShapeError('bad attribute in relative name');
      }
      return normaliseAttribute({ oid: type.valueBlock.toString(), value });
    })
    .sort();
}
