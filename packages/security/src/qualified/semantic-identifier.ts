// Semantic identifiers of ETSI EN 319 412-1 5.1.3 (natural persons) and 5.1.4 (legal persons).

import { SecurityError } from '../errors.js';

/** Identity type references of natural persons (ETSI EN 319 412-1 5.1.3). */
export const NATURAL_PERSON_ID_TYPES = ['PAS', 'IDC', 'PNO', 'TAX', 'TIN'] as const;

/**
 * Identity type references of legal persons (ETSI EN 319 412-1 5.1.4): VAT, NTR, PSD; LEI and EUI
 * come from later versions of the standard.
 */
// TODO(etsi-412-1): confirm EUI against the text of EN 319 412-1 v1.5.1; it is accepted as legal.
export const LEGAL_PERSON_ID_TYPES = ['VAT', 'NTR', 'PSD', 'LEI', 'EUI'] as const;

/** A parsed semantic identifier, e.g. `VATSI-12345678` -> `{ type: 'VAT', country: 'SI', ... }`. */
export interface SemanticIdentifier {
  /** The value as written in the certificate. */
  readonly value: string;
  /**
   * Whose identifier: a natural person (serialNumber) or a legal person (organizationIdentifier).
   */
  readonly kind: 'natural' | 'legal';
  /** The three-letter type (`VAT`, `PNO`, ...), or two letters and `:` for a national scheme. */
  readonly type: string;
  /** ISO 3166-1 alpha-2 country code (`XG` for LEI, `EU` where the standard allows it). */
  readonly country: string;
  /** The reference after the hyphen, e.g. the tax number. */
  readonly reference: string;
}

const STANDARD = /^([A-Z]{3})([A-Z]{2})-(\S.*)$/s;
const NATIONAL = /^([A-Z]{2}:)([A-Z]{2})-(\S.*)$/s;

/**
 * Parses an ETSI EN 319 412-1 semantic identifier.
 *
 * @param value The attribute value, e.g. `VATSI-12345678` or `PNOSI-1234567890123`.
 * @param kind Which kind to expect; default: decided by the type (`VAT` legal, `PNO` natural).
 *   A national scheme (`xx:`) needs `kind`, since its type does not say it.
 * @throws SecurityError `QC_SEMANTIC_IDENTIFIER_INVALID` when the value does not follow the form
 *   or the type is not one of the kind's types.
 * @example
 * ```ts
 * parseSemanticIdentifier('VATSI-12345678'); // { kind: 'legal', type: 'VAT', country: 'SI', ... }
 * ```
 */
export function parseSemanticIdentifier(
  value: string,
  kind?: 'natural' | 'legal',
): SemanticIdentifier {
  const match = typeof value === 'string' ? (STANDARD.exec(value) ?? NATIONAL.exec(value)) : null;
  if (!match) invalid('The value is not of the form <type><country>-<reference>.');
  const [, type = '', country = '', reference = ''] = match;

  let found: 'natural' | 'legal' | undefined;
  if ((NATURAL_PERSON_ID_TYPES as readonly string[]).includes(type)) found = 'natural';
  else if ((LEGAL_PERSON_ID_TYPES as readonly string[]).includes(type)) found = 'legal';
  else if (type.endsWith(':')) found = kind;
  if (found === undefined) invalid('The identity type is not defined by ETSI EN 319 412-1.', type);
  if (kind !== undefined && found !== kind)
    invalid(`The identity type is not one of a ${kind} person.`, type);

  return Object.freeze({ value, kind: found, type, country, reference });
}

/** As {@link parseSemanticIdentifier}, but `undefined` instead of an error. */
export function trySemanticIdentifier(
  value: string | undefined,
  kind?: 'natural' | 'legal',
): SemanticIdentifier | undefined {
  if (value === undefined) return undefined;
  try {
    return parseSemanticIdentifier(value, kind);
  } catch (err) {
    if (err instanceof SecurityError) return undefined;
    throw err;
  }
}

function invalid(message: string, type?: string): never {
  // The value may be a personal number: only the type goes into the context.
  throw new SecurityError('QC_SEMANTIC_IDENTIFIER_INVALID', message, { context: { type } });
}
