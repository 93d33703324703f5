// Builds the subject and issuer names of development certificates (RFC 5280 4.1.2.4).

import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

/** The attributes a development certificate's subject may carry, in the order they are encoded. */
export interface DevSubject {
  /** countryName, ISO 3166 alpha-2 (default `SI`). */
  country?: string;
  organisationName?: string;
  organisationalUnit?: string;
  /** ETSI EN 319 412-1 5.1.4 organizationIdentifier, e.g. `VATSI-12345678`. */
  organizationIdentifier?: string;
  givenName?: string;
  surname?: string;
  /** serialNumber attribute; ETSI EN 319 412-1 5.1.3 form for persons, e.g. `PNOSI-1234`. */
  serialNumber?: string;
  commonName: string;
}

const ATTRIBUTE_OIDS = {
  country: '2.5.4.6',
  organisationName: '2.5.4.10',
  organisationalUnit: '2.5.4.11',
  organizationIdentifier: '2.5.4.97',
  givenName: '2.5.4.42',
  surname: '2.5.4.4',
  serialNumber: '2.5.4.5',
  commonName: '2.5.4.3',
} as const;

/** Encodes `subject` as a name with one attribute per RDN, most significant first. */
export function buildName(subject: DevSubject): pkijs.RelativeDistinguishedNames {
  const withCountry: DevSubject = { country: 'SI', ...subject };
  const rdns: asn1js.Set[] = [];

  for (const field of Object.keys(ATTRIBUTE_OIDS) as (keyof typeof ATTRIBUTE_OIDS)[]) {
    const value = withCountry[field];
    if (value === undefined) continue;
    const attribute = new pkijs.AttributeTypeAndValue({
      type: ATTRIBUTE_OIDS[field],
      value: encodeValue(field, value),
    });
    rdns.push(new asn1js.Set({ value: [attribute.toSchema()] }));
  }

  // pkijs would put every attribute into one multi-valued RDN; decode our own encoding instead,
  // which pkijs keeps verbatim (RFC 5280 4.1.2.4: Name ::= SEQUENCE OF SET OF attributes).
  const der = new asn1js.Sequence({ value: rdns }).toBER(false);
  return pkijs.RelativeDistinguishedNames.fromBER(der);
}

function encodeValue(field: keyof typeof ATTRIBUTE_OIDS, value: string): pkijs.AttributeValueType {
  // RFC 5280 appendix A.1: countryName and serialNumber are PrintableString; others
  // DirectoryString.
  if (field === 'country' || field === 'serialNumber') {
    return new asn1js.PrintableString({ value });
  }
  return new asn1js.Utf8String({ value });
}
