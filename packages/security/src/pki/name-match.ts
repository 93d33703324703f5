// Distinguished-name comparison of RFC 5280 section 7.1: RDN sets, folded strings, prefixes.

import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

/** One RDN as a sorted list of `oid=normalised value` strings. */
type NormalisedRdn = readonly string[];

/** A name prepared for comparison: its RDNs in encoding order, each normalised. */
export interface ComparableName {
  readonly rdns: readonly NormalisedRdn[];
  /** The RDNs joined: equal keys mean equal names under RFC 5280 7.1. */
  readonly key: string;
}

const cache = new WeakMap<object, ComparableName>();

/**
 * Prepares a name for RFC 5280 7.1 comparison: attribute values of the directory string types are
 * compared after Unicode NFKC, case folding and whitespace folding (RFC 4518 simplified); any other
 * value by its DER encoding. The attributes of a multi-valued RDN are compared as a set.
 */
export function comparableName(name: pkijs.RelativeDistinguishedNames): ComparableName {
  const hit = cache.get(name);
  if (hit) return hit;

  const der = name.toSchema().toBER(false);
  const made = comparableNameFromDer(new Uint8Array(der));
  cache.set(name, made);
  return made;
}

/** As {@link comparableName}, from the DER encoding of a Name. */
export function comparableNameFromDer(der: Uint8Array): ComparableName {
  const rdns = readRdnSets(der).map((set) => set.map(normaliseAttribute).sort());
  return { rdns, key: JSON.stringify(rdns) };
}

/** True when two names are equal under RFC 5280 7.1. */
export function namesEqual(a: ComparableName, b: ComparableName): boolean {
  return a.key === b.key;
}

/** True when `base` is an RDN-wise prefix of `name` (directoryName subtree, RFC 5280 4.2.1.10). */
export function nameWithin(name: ComparableName, base: ComparableName): boolean {
  if (base.rdns.length > name.rdns.length) return false;
  return base.rdns.every((rdn, i) => JSON.stringify(rdn) === JSON.stringify(name.rdns[i]));
}

/** One attribute: its type OID and the ASN.1 value block. */
export interface RawAttribute {
  readonly oid: string;
  readonly value: asn1js.AsnType;
}

/**
 * Splits the DER of a Name (SEQUENCE OF SET OF AttributeTypeAndValue) into its RDN sets, keeping
 * the set boundaries that pkijs flattens.
 */
export function readRdnSets(der: Uint8Array): RawAttribute[][] {
  const parsed = asn1js.fromBER(der);
  if (parsed.offset === -1 || !(parsed.result instanceof asn1js.Sequence)) {
    throw new Error('not a Name');
  }
  return parsed.result.valueBlock.value.map((set) => {
    if (!(set instanceof asn1js.Set)) throw new Error('an RDN is not a SET');
    return set.valueBlock.value.map((atv) => {
      if (!(atv instanceof asn1js.Sequence)) throw new Error('an attribute is not a SEQUENCE');
      const [type, value] = atv.valueBlock.value;
      if (!(type instanceof asn1js.ObjectIdentifier) || !value) {
        throw new Error('an attribute has no type or value');
      }
      return { oid: type.valueBlock.toString(), value };
    });
  });
}

/** The text of a directory string value, or undefined for other ASN.1 types. */
export function attributeString(value: asn1js.AsnType): string | undefined {
  if (value instanceof asn1js.BaseStringBlock) return value.getValue();
  return undefined;
}

/** One attribute as `oid=value`, the value folded (strings) or as DER hex (other types). */
export function normaliseAttribute(attribute: RawAttribute): string {
  const text = attributeString(attribute.value);
  if (text === undefined) {
    return `${attribute.oid}=#${Buffer.from(attribute.value.toBER(false)).toString('hex')}`;
  }
  return `${attribute.oid}=${foldString(text)}`;
}

/** RFC 4518 simplified: NFKC, case fold, trim, runs of white space to one space. */
export function foldString(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}
