// Fictitious identifiers for development certificates: tax numbers, person references, labels.

import { randomBytes, randomInt } from 'node:crypto';
import { taxNumberWithCheckDigit } from '@interop-blocks/core';

/** A random valid Slovenian tax number (8 digits, mod-11 check digit), not in `taken`. */
export function randomTaxNumber(taken: ReadonlySet<string> = new Set()): string {
  for (;;) {
    const first7 = String(randomInt(1_000_000, 10_000_000));
    const full = taxNumberWithCheckDigit(first7);
    if (full !== null && !taken.has(full)) return full;
  }
}

/** A fictitious ETSI EN 319 412-1 person reference: `PNOSI-` and eight random digits. */
export function randomPersonSerial(): string {
  return `PNOSI-${String(randomInt(0, 100_000_000)).padStart(8, '0')}`;
}

/** Six random hex digits that tell development PKIs apart in CA names. */
export function randomLabel(): string {
  return randomBytes(3).toString('hex');
}

/** A handle from a name: lower case, `[a-z0-9-]`, at most 40 characters. */
export function handleFromName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
}
