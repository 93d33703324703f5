// Small readers over asn1js blocks for the extension decoders: tags, integers, strings, bits.

import * as asn1js from 'asn1js';

/** Raised by the readers; callers turn it into a coded SecurityError. */
export class DerShapeError extends Error {}

/** Parses DER bytes that must hold exactly one ASN.1 value. */
export function parseDer(bytes: Uint8Array): asn1js.AsnType {
  const parsed = asn1js.fromBER(bytes);
  if (parsed.offset === -1) throw new DerShapeError(parsed.result.error || 'invalid DER');
  if (parsed.offset !== bytes.byteLength) throw new DerShapeError('trailing bytes after DER value');
  return parsed.result;
}

/** The context-specific tag number of a block, or undefined for other classes. */
export function contextTag(block: asn1js.AsnType): number | undefined {
  return block.idBlock.tagClass === 3 ? block.idBlock.tagNumber : undefined;
}

/** The children of a constructed block (SEQUENCE, SET or a constructed tagged value). */
export function children(block: asn1js.AsnType): asn1js.AsnType[] {
  const value = (block.valueBlock as { value?: unknown }).value;
  if (!Array.isArray(value)) throw new DerShapeError('expected a constructed value');
  return value as asn1js.AsnType[];
}

/** The content octets of a primitive block (an implicitly tagged value, an OCTET STRING). */
export function contentBytes(block: asn1js.AsnType): Uint8Array {
  const view = (block.valueBlock as { valueHexView?: Uint8Array }).valueHexView;
  if (!(view instanceof Uint8Array)) throw new DerShapeError('expected a primitive value');
  return view;
}

/** A non-negative INTEGER (possibly implicitly tagged) as a number. */
export function smallInteger(block: asn1js.AsnType): number {
  const bytes = contentBytes(block);
  if (bytes.length === 0 || bytes.length > 6 || (bytes[0] ?? 0) & 0x80) {
    throw new DerShapeError('expected a small non-negative INTEGER');
  }
  return bytes.reduce((n, b) => n * 256 + b, 0);
}

/** An OBJECT IDENTIFIER's dotted string. */
export function oid(block: asn1js.AsnType): string {
  if (!(block instanceof asn1js.ObjectIdentifier)) throw new DerShapeError('expected an OID');
  return block.valueBlock.toString();
}

/** A BOOLEAN, explicit or implicitly tagged. */
export function bool(block: asn1js.AsnType): boolean {
  const bytes = contentBytes(block);
  if (bytes.length !== 1) throw new DerShapeError('expected a BOOLEAN');
  return bytes[0] !== 0;
}

/**
 * A BIT STRING (possibly implicitly tagged) as a number whose bit `i` is named bit `i` of the
 * ASN.1 definition (bit 0 = the most significant bit of the first content byte).
 */
export function namedBits(block: asn1js.AsnType): number {
  // A universal BIT STRING keeps the unused-bits octet apart; a tagged primitive keeps it first.
  const content = contentBytes(block);
  const bits = block instanceof asn1js.BitString ? content : content.subarray(1);
  if (!(block instanceof asn1js.BitString) && content.length === 0) {
    throw new DerShapeError('expected a BIT STRING');
  }
  let mask = 0;
  for (let i = 0; i < bits.length && i < 4; i++) {
    for (let bit = 0; bit < 8; bit++) {
      if (((bits[i] ?? 0) >> (7 - bit)) & 1) mask |= 1 << (i * 8 + bit);
    }
  }
  return mask;
}

/** Lower-case hex of bytes. */
export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}
