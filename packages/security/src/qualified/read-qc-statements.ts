// Reads the QcStatements extension (RFC 3739 3.2.6, ETSI EN 319 412-5 section 4) of a certificate.

import * as asn1js from 'asn1js';
import { SecurityError } from '../errors.js';
import type { Certificate } from '../pki/certificate.js';
import type { PdsLocation } from './encode-qc-statements.js';
import { QC_STATEMENTS_EXTENSION_OID, QC_STATEMENT_OIDS, QC_TYPE_OIDS } from './qualified-oids.js';

/** The QcType values of ETSI EN 319 412-5 4.2.3. */
export type QcType = keyof typeof QC_TYPE_OIDS;

/** ETSI EN 319 412-5 4.3.2 QcLimitValue (MonetaryValue: amount x 10^exponent). */
export interface QcLimitValue {
  /** ISO 4217 alphabetic code, or the numeric code as a string. */
  readonly currency: string;
  readonly amount: number;
  readonly exponent: number;
}

/** The statements of a certificate, as read. */
export interface QcStatements {
  /** esi4-qcStatement-1: claims to be an EU qualified certificate. */
  readonly compliance: boolean;
  /** esi4-qcStatement-4: the private key is in a qualified signature/seal creation device. */
  readonly sscd: boolean;
  /** esi4-qcStatement-6, in certificate order; absent statement: empty. */
  readonly types: readonly QcType[];
  /** QcType OIDs this library does not know. */
  readonly otherTypes: readonly string[];
  /** esi4-qcStatement-5. */
  readonly pds: readonly PdsLocation[];
  /** esi4-qcStatement-3, in years. */
  readonly retentionYears?: number;
  /** esi4-qcStatement-2. */
  readonly limitValue?: QcLimitValue;
  /** esi4-qcStatement-7: countries whose legislation the certificate is issued under. */
  readonly legislation: readonly string[];
  /** RFC 3739 3.2.6.1 SemanticsInformation (QCSyntax-v2, or the obsolete v1): its OID. */
  readonly semanticsIdentifier?: string;
  /** Statement ids this library does not know, in certificate order. */
  readonly otherStatements: readonly string[];
}

/**
 * Reads the QcStatements of `certificate`; `undefined` when it has no such extension.
 *
 * @throws SecurityError `QC_STATEMENTS_MALFORMED` when the extension is not valid DER of the
 *   structure, a statement appears twice, or a known statement has the wrong shape.
 * @example
 * ```ts
 * const qc = readQcStatements(cert);
 * if (qc?.compliance && qc.types.includes('eseal')) { ... }
 * ```
 */
export function readQcStatements(certificate: Certificate): QcStatements | undefined {
  const extensions = certificate.raw.extensions?.filter(
    (e) => e.extnID === QC_STATEMENTS_EXTENSION_OID,
  );
  if (!extensions || extensions.length === 0) return undefined;
  // RFC 5280 4.2: a certificate must not include more than one instance of an extension.
  if (extensions.length > 1) malformed('The QcStatements extension appears twice.');
  return decodeQcStatements(extensions[0]!.extnValue.valueBlock.valueHexView);
}

/**
 * Decodes the DER value of a QcStatements extension.
 * @throws SecurityError `QC_STATEMENTS_MALFORMED`.
 */
export function decodeQcStatements(der: Uint8Array): QcStatements {
  const top = decodeAll(der);
  if (!(top instanceof asn1js.Sequence)) malformed('QcStatements is not a SEQUENCE.');

  const seen = new Set<string>();
  const out = {
    compliance: false,
    sscd: false,
    types: [] as QcType[],
    otherTypes: [] as string[],
    pds: [] as PdsLocation[],
    legislation: [] as string[],
    otherStatements: [] as string[],
  } as Draft;

  for (const statement of top.valueBlock.value) {
    // RFC 3739 3.2.6: QCStatement ::= SEQUENCE { statementId OID, statementInfo ANY OPTIONAL }
    if (!(statement instanceof asn1js.Sequence)) malformed('A QcStatement is not a SEQUENCE.');
    const [idBlock, info, ...extra] = statement.valueBlock.value;
    if (!(idBlock instanceof asn1js.ObjectIdentifier) || extra.length > 0) {
      malformed('A QcStatement is not an OID with at most one value.');
    }
    const id = idBlock.getValue();
    if (seen.has(id)) malformed('A QcStatement appears twice.', id);
    seen.add(id);
    readStatement(out, id, info);
  }
  return Object.freeze(out);
}

/** A {@link QcStatements} while it is read. */
interface Draft {
  compliance: boolean;
  sscd: boolean;
  types: QcType[];
  otherTypes: string[];
  pds: PdsLocation[];
  retentionYears?: number;
  limitValue?: QcLimitValue;
  legislation: string[];
  semanticsIdentifier?: string;
  otherStatements: string[];
}

function readStatement(out: Draft, id: string, info: asn1js.AsnType | undefined): void {
  const S = QC_STATEMENT_OIDS;
  switch (id) {
    case S.qcCompliance: // EN 319 412-5 4.2.1: no statementInfo.
      out.compliance = true;
      return;
    case S.qcSscd: // EN 319 412-5 4.2.2: no statementInfo.
      out.sscd = true;
      return;
    case S.qcType: // EN 319 412-5 4.2.3: QcType ::= SEQUENCE OF OBJECT IDENTIFIER
      for (const oid of sequenceOf(info, id, asn1js.ObjectIdentifier)) {
        const value = oid.getValue();
        const name = (Object.keys(QC_TYPE_OIDS) as QcType[]).find((k) => QC_TYPE_OIDS[k] === value);
        if (name) out.types.push(name);
        else out.otherTypes.push(value);
      }
      return;
    case S.qcPds: // EN 319 412-5 4.3.4: PdsLocations ::= SEQUENCE SIZE (1..MAX) OF PdsLocation
      out.pds = sequenceOf(info, id, asn1js.Sequence).map((location) => pdsLocation(location, id));
      return;
    case S.qcRetentionPeriod: // EN 319 412-5 4.3.3: QcEuRetentionPeriod ::= INTEGER
      out.retentionYears = smallInteger(info, id);
      return;
    case S.qcLimitValue: // EN 319 412-5 4.3.2: MonetaryValue
      out.limitValue = limitValue(info, id);
      return;
    case S.qcCClegislation: // EN 319 412-5 4.2.4: QcCClegislation ::= SEQUENCE OF CountryName
      out.legislation = sequenceOf(info, id, asn1js.PrintableString).map((c) => country(c, id));
      return;
    case S.pkixQcSyntaxV2: // RFC 3739 3.2.6.1: SemanticsInformation
    case S.pkixQcSyntaxV1:
      out.semanticsIdentifier = semanticsInformation(info, id);
      return;
    default:
      out.otherStatements.push(id);
  }
}

function pdsLocation(location: asn1js.Sequence, id: string): PdsLocation {
  // PdsLocation ::= SEQUENCE { url IA5String, language PrintableString (SIZE(2)) }
  const [url, language, ...rest] = location.valueBlock.value;
  if (
    !(url instanceof asn1js.IA5String) ||
    !(language instanceof asn1js.PrintableString) ||
    rest.length
  ) {
    malformed('A PdsLocation is not a URL and a language.', id);
  }
  const lang = language.valueBlock.value;
  if (!/^[A-Za-z]{2}$/.test(lang)) malformed('A PdsLocation language is not two letters.', id);
  let parsed: URL;
  try {
    parsed = new URL(url.valueBlock.value);
  } catch {
    malformed('A PdsLocation URL cannot be parsed.', id);
  }
  // EN 319 412-5 4.3.4 asks for https; plain http is read too, anything else is refused.
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    malformed('A PdsLocation URL is not http(s).', id);
  }
  return Object.freeze({ url: url.valueBlock.value, language: lang.toLowerCase() });
}

function limitValue(info: asn1js.AsnType | undefined, id: string): QcLimitValue {
  if (!(info instanceof asn1js.Sequence)) malformed('QcLimitValue is not a SEQUENCE.', id);
  const [currency, amount, exponent, ...rest] = info.valueBlock.value;
  if (rest.length > 0) malformed('QcLimitValue has extra elements.', id);
  let code: string;
  if (currency instanceof asn1js.PrintableString && /^[A-Z]{3}$/.test(currency.valueBlock.value)) {
    code = currency.valueBlock.value;
  } else if (currency instanceof asn1js.Integer) {
    code = String(smallInteger(currency, id));
  } else {
    malformed('QcLimitValue has no ISO 4217 currency.', id);
  }
  return Object.freeze({
    currency: code,
    amount: smallInteger(amount, id),
    exponent: signedSmall(exponent, id),
  });
}

function semanticsInformation(info: asn1js.AsnType | undefined, id: string): string | undefined {
  // SemanticsInformation ::= SEQUENCE { semanticsIdentifier OID OPTIONAL,
  //   nameRegistrationAuthorities NameRegistrationAuthorities OPTIONAL } -- at least one present
  if (!(info instanceof asn1js.Sequence) || info.valueBlock.value.length === 0) {
    malformed('SemanticsInformation is not a non-empty SEQUENCE.', id);
  }
  const [first, second, ...rest] = info.valueBlock.value;
  if (rest.length > 0) malformed('SemanticsInformation has extra elements.', id);
  if (first instanceof asn1js.ObjectIdentifier) {
    if (second !== undefined && !(second instanceof asn1js.Sequence)) {
      malformed('nameRegistrationAuthorities is not a SEQUENCE.', id);
    }
    return first.getValue();
  }
  if (!(first instanceof asn1js.Sequence) || second !== undefined) {
    malformed('SemanticsInformation has an unexpected element.', id);
  }
  return undefined;
}

function sequenceOf<T extends asn1js.AsnType>(
  info: asn1js.AsnType | undefined,
  id: string,
  type: new (...args: never[]) => T,
): T[] {
  if (!(info instanceof asn1js.Sequence) || info.valueBlock.value.length === 0) {
    malformed('A statement value is not a non-empty SEQUENCE.', id);
  }
  return info.valueBlock.value.map((item) => {
    if (!(item instanceof type))
      malformed('A statement value has an element of the wrong type.', id);
    return item;
  });
}

function country(value: asn1js.PrintableString, id: string): string {
  if (!/^[A-Z]{2}$/.test(value.valueBlock.value))
    malformed('A country code is not two letters.', id);
  return value.valueBlock.value;
}

function smallInteger(value: asn1js.AsnType | undefined, id: string): number {
  const n = signedSmall(value, id);
  if (n < 0) malformed('A statement value is a negative INTEGER.', id);
  return n;
}

function signedSmall(value: asn1js.AsnType | undefined, id: string): number {
  if (!(value instanceof asn1js.Integer) || value.valueBlock.valueHexView.length > 6) {
    malformed('A statement value is not a small INTEGER.', id);
  }
  return value.valueBlock.valueDec;
}

function decodeAll(der: Uint8Array): asn1js.AsnType {
  const decoded = asn1js.fromBER(der);
  if (decoded.offset === -1 || decoded.result.error || decoded.offset !== der.byteLength) {
    malformed('QcStatements is not valid DER.');
  }
  return decoded.result;
}

function malformed(message: string, statement?: string): never {
  throw new SecurityError('QC_STATEMENTS_MALFORMED', message, { context: { statement } });
}
