// Distinguished names: attribute lists in certificate order, and their RFC 4514 string form.

import type * as pkijs from 'pkijs';

/** Short names of common attribute types (RFC 4514 section 3, ETSI EN 319 412-1). */
const SHORT_NAMES: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN',
  '2.5.4.4': 'SN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'title',
  '2.5.4.42': 'GN',
  '2.5.4.97': 'organizationIdentifier',
  '0.9.2342.19200300.100.1.25': 'DC',
  '0.9.2342.19200300.100.1.1': 'UID',
  '1.2.840.113549.1.9.1': 'emailAddress',
};

/** One attribute of a name. */
export interface NameAttribute {
  /** Attribute type OID, e.g. `2.5.4.97`. */
  readonly oid: string;
  /** Short name where known (`CN`, `organizationIdentifier`), else the OID. */
  readonly type: string;
  readonly value: string;
}

/** A distinguished name. */
export interface DistinguishedName {
  /** Relative distinguished names in certificate order, each a set of attributes. */
  readonly rdns: readonly (readonly NameAttribute[])[];
  /** RFC 4514 string (most significant RDN last). */
  readonly text: string;
  /** The DER encoding of the name, for exact comparison. */
  readonly der: Uint8Array;
  /** The first value of the attribute `oid`, if present. */
  get(oid: string): string | undefined;
}

/** Builds a {@link DistinguishedName} from a pkijs RelativeDistinguishedNames. */
export function nameFromPkijs(name: pkijs.RelativeDistinguishedNames): DistinguishedName {
  const rdns = groupRdns(name);
  const text = [...rdns]
    .reverse()
    .map((rdn) => rdn.map((a) => `${a.type}=${escapeValue(a.value)}`).join('+'))
    .join(',');
  const der = new Uint8Array(name.toSchema().toBER(false));

  return Object.freeze({
    rdns,
    text,
    der,
    get: (oid: string) => rdns.flat().find((a) => a.oid === oid)?.value,
  });
}

function groupRdns(name: pkijs.RelativeDistinguishedNames): NameAttribute[][] {
  // pkijs flattens multi-valued RDNs into typesAndValues; the schema keeps the set boundaries.
  const sets = (name.valueBeforeDecode && name.typesAndValues.length > 0
    ? splitSets(name)
    : null) ?? [name.typesAndValues];
  return sets.map((set) =>
    set.map((tv) => ({
      oid: tv.type,
      type: SHORT_NAMES[tv.type] ?? tv.type,
      value: attributeText(tv),
    })),
  );
}

function splitSets(name: pkijs.RelativeDistinguishedNames): pkijs.AttributeTypeAndValue[][] {
  const schema = name.toSchema() as unknown as {
    valueBlock: { value: { valueBlock: { value: unknown[] } }[] };
  };
  const sets: pkijs.AttributeTypeAndValue[][] = [];
  let i = 0;
  for (const set of schema.valueBlock.value) {
    const count = set.valueBlock.value.length;
    sets.push(name.typesAndValues.slice(i, i + count));
    i += count;
  }
  return sets;
}

function attributeText(tv: pkijs.AttributeTypeAndValue): string {
  const value = tv.value as unknown as { valueBlock?: { value?: unknown } };
  const v = value?.valueBlock?.value;
  return typeof v === 'string' ? v : `#${Buffer.from(tv.value.toBER(false)).toString('hex')}`;
}

function escapeValue(value: string): string {
  return value
    .replace(/([\\,+"<>;=])/g, '\\$1')
    .replace(/^([ #])/, '\\$1')
    .replace(/ $/, '\\ ');
}
