// The Slovenian personal number (EMSO): format, birth date, register code and mod-11 check digit.

import { CoreError } from '../errors/core-error.js';

const EMSO_WEIGHTS = [7, 6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2] as const;

/** Options of {@link checkEmso} and {@link validateEmso}. */
export interface EmsoOptions {
  /**
   * Register codes (the RR digits) accepted. Default: every code, because persons registered in
   * other former Yugoslav registers keep their numbers. Pass `SLOVENIAN_REGISTERS` for 50-59 only.
   */
  registers?: ReadonlySet<number>;
  /** The day against which a birth date in the future is refused. Default: now. */
  asOf?: Date;
}

/** Register codes of the Slovenian register: 50, and 51-59 allowed since 2024. */
export const SLOVENIAN_REGISTERS: ReadonlySet<number> = new Set([
  50, 51, 52, 53, 54, 55, 56, 57, 58, 59,
]);

/** The facts a valid personal number encodes. */
export interface EmsoFacts {
  birthDate: string;
  register: number;
  sex: 'male' | 'female';
}

/**
 * Checks a personal number (DDMMYYYRRBBBK) and returns what it encodes.
 *
 * @throws CoreError `CORE_IDENTIFIER_FORMAT` (not 13 digits), `CORE_IDENTIFIER_BIRTH_DATE`
 *   (no such day, or after `asOf`), `CORE_IDENTIFIER_REGISTER` (register code not accepted),
 *   `CORE_IDENTIFIER_CHECK_DIGIT`. Messages never contain the number.
 */
export function checkEmso(id: string, options: EmsoOptions = {}): EmsoFacts {
  if (typeof id !== 'string' || !/^\d{13}$/.test(id)) {
    throw new CoreError('CORE_IDENTIFIER_FORMAT', 'A personal number has exactly 13 digits.', {
      context: { scheme: 'emso', length: typeof id === 'string' ? id.length : null },
    });
  }

  const digits = [...id].map(Number);
  const day = Number(id.slice(0, 2));
  const month = Number(id.slice(2, 4));
  const yyy = Number(id.slice(4, 7));
  const year = yyy < 800 ? 2000 + yyy : 1000 + yyy;
  const register = Number(id.slice(7, 9));
  const serial = Number(id.slice(9, 12));

  const birth = new Date(Date.UTC(year, month - 1, day));
  const isRealDay =
    birth.getUTCFullYear() === year &&
    birth.getUTCMonth() === month - 1 &&
    birth.getUTCDate() === day;
  if (!isRealDay || birth.getTime() > (options.asOf ?? new Date()).getTime()) {
    throw new CoreError(
      'CORE_IDENTIFIER_BIRTH_DATE',
      'A personal number encodes an impossible or future birth date.',
      { context: { scheme: 'emso' } },
    );
  }
  if (options.registers && !options.registers.has(register)) {
    throw new CoreError('CORE_IDENTIFIER_REGISTER', 'The register code is not accepted here.', {
      context: { scheme: 'emso', register },
    });
  }

  const sum = EMSO_WEIGHTS.reduce((acc, w, i) => acc + w * (digits[i] ?? 0), 0);
  const r = sum % 11;
  const expected = r <= 1 ? 0 : 11 - r;
  if (digits[12] !== expected) {
    throw new CoreError(
      'CORE_IDENTIFIER_CHECK_DIGIT',
      'The personal number has a wrong check digit.',
      {
        context: { scheme: 'emso' },
      },
    );
  }

  return {
    birthDate: birth.toISOString().slice(0, 10),
    register,
    sex: serial < 500 ? 'male' : 'female',
  };
}

/**
 * True when `id` is a valid Slovenian personal number (EMSO).
 *
 * @example
 * ```ts
 * validateEmso('0101006500006'); // true
 * ```
 */
export function validateEmso(id: string, options?: EmsoOptions): boolean {
  try {
    checkEmso(id, options);
    return true;
  } catch (err) {
    if (err instanceof CoreError) return false;
    throw err;
  }
}

/**
 * Completes twelve digits with their check digit, or returns `null` when the input is not twelve
 * digits. For test data generators and fixtures.
 */
export function emsoWithCheckDigit(first12: string): string | null {
  if (!/^\d{12}$/.test(first12)) return null;
  const sum = EMSO_WEIGHTS.reduce((acc, w, i) => acc + w * Number(first12[i]), 0);
  const r = sum % 11;
  return first12 + String(r <= 1 ? 0 : 11 - r);
}
