// The Slovenian tax number: 8 digits, first not 0, mod-11 check digit with weights 8..2.

import { CoreError } from '../errors/core-error.js';

const TAX_WEIGHTS = [8, 7, 6, 5, 4, 3, 2] as const;

/**
 * Checks a Slovenian tax number (also the digits of a `SI` VAT number).
 *
 * @throws CoreError `CORE_IDENTIFIER_FORMAT` (not 8 digits, or a leading 0),
 *   `CORE_IDENTIFIER_CHECK_DIGIT` (wrong digit, or a sum whose check would be 11, never issued).
 */
export function checkTaxNumber(id: string): void {
  if (typeof id !== 'string' || !/^[1-9]\d{7}$/.test(id)) {
    throw new CoreError(
      'CORE_IDENTIFIER_FORMAT',
      'A tax number has exactly 8 digits and does not start with 0.',
      { context: { scheme: 'tax', length: typeof id === 'string' ? id.length : null } },
    );
  }

  const sum = TAX_WEIGHTS.reduce((acc, w, i) => acc + w * Number(id[i]), 0);
  const check = 11 - (sum % 11);
  if (check === 11 || Number(id[7]) !== check % 10) {
    throw new CoreError('CORE_IDENTIFIER_CHECK_DIGIT', 'The tax number has a wrong check digit.', {
      context: { scheme: 'tax' },
    });
  }
}

/**
 * True when `id` is a valid Slovenian tax number.
 *
 * @example
 * ```ts
 * validateTaxNumber('50223054'); // true
 * ```
 */
export function validateTaxNumber(id: string): boolean {
  try {
    checkTaxNumber(id);
    return true;
  } catch (err) {
    if (err instanceof CoreError) return false;
    throw err;
  }
}

/** Completes seven digits (first not 0) with their check digit, or `null` where none is issued. */
export function taxNumberWithCheckDigit(first7: string): string | null {
  if (!/^[1-9]\d{6}$/.test(first7)) return null;
  const sum = TAX_WEIGHTS.reduce((acc, w, i) => acc + w * Number(first7[i]), 0);
  const check = 11 - (sum % 11);
  return check === 11 ? null : first7 + String(check % 10);
}
