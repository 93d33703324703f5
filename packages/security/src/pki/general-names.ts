// GeneralName (RFC 5280 4.2.1.6) decoded into the forms name constraints and CRL scopes compare.

import type * as asn1js from 'asn1js';
import { comparableNameFromDer, type ComparableName } from './name-match.js';
import { children, contentBytes, contextTag, DerShapeError } from './der-read.js';

/** A decoded GeneralName. Forms the validator does not compare are kept as `other` with the tag. */
export type GeneralNameView =
  | { readonly kind: 'rfc822Name'; readonly value: string }
  | { readonly kind: 'dNSName'; readonly value: string }
  | { readonly kind: 'uniformResourceIdentifier'; readonly value: string }
  | { readonly kind: 'iPAddress'; readonly bytes: Uint8Array }
  | { readonly kind: 'directoryName'; readonly name: ComparableName }
  | { readonly kind: 'other'; readonly tag: number };

/** The name forms the validator understands, in GeneralName tag order. */
export type GeneralNameKind = GeneralNameView['kind'];

/** Decodes one GeneralName from its context-tagged block. */
export function readGeneralName(block: asn1js.AsnType): GeneralNameView {
  const tag = contextTag(block);
  switch (tag) {
    case 1:
      return { kind: 'rfc822Name', value: ia5(block) };
    case 2:
      return { kind: 'dNSName', value: ia5(block) };
    case 6:
      return { kind: 'uniformResourceIdentifier', value: ia5(block) };
    case 7:
      return { kind: 'iPAddress', bytes: new Uint8Array(contentBytes(block)) };
    case 4: {
      // [4] is EXPLICIT (Name is a CHOICE): the tagged block wraps the Name SEQUENCE.
      const [inner] = children(block);
      if (!inner) throw new DerShapeError('empty directoryName');
      return {
        kind: 'directoryName',
        name: comparableNameFromDer(new Uint8Array(inner.toBER(false))),
      };
    }
    case undefined:
      throw new DerShapeError('a GeneralName is not context-tagged');
    default:
      return { kind: 'other', tag };
  }
}

/** Decodes GeneralNames (a SEQUENCE or an implicitly tagged constructed block of GeneralName). */
export function readGeneralNames(block: asn1js.AsnType): GeneralNameView[] {
  return children(block).map(readGeneralName);
}

function ia5(block: asn1js.AsnType): string {
  return Buffer.from(contentBytes(block)).toString('latin1');
}
