import { describe, expect, it } from 'vitest';
import {
  CoreError,
  InteropError,
  SLOVENIAN_REGISTERS,
  checkEmso,
  createDefaultSchemes,
  emsoWithCheckDigit,
  parseSubject,
  taxNumberWithCheckDigit,
  validateEmso,
  validateTaxNumber,
} from '../src/index.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof InteropError ? err.code : 'not-coded';
  }
  return undefined;
}

describe('EMSO (personal number)', () => {
  it('accepts the documented example and numbers built with a correct check digit', () => {
    expect(validateEmso('0101006500006')).toBe(true);
    expect(validateEmso(emsoWithCheckDigit('150397850512')!)).toBe(true);
    expect(validateEmso(emsoWithCheckDigit('290200050001')!)).toBe(true); // 29 Feb 2000
  });

  it('reads birth date, register and sex from a valid number', () => {
    expect(checkEmso('0101006500006')).toEqual({
      birthDate: '2006-01-01',
      register: 50,
      sex: 'male',
    });
    expect(checkEmso(emsoWithCheckDigit('150397850512')!).birthDate).toBe('1978-03-15');
    expect(checkEmso(emsoWithCheckDigit('150397850512')!).sex).toBe('female');
  });

  it('rejects every wrong check digit', () => {
    for (let k = 0; k <= 9; k++) {
      if (k === 6) continue;
      const id = `010100650000${k}`;
      expect(validateEmso(id)).toBe(false);
      expect(codeOf(() => checkEmso(id))).toBe('CORE_IDENTIFIER_CHECK_DIGIT');
    }
  });

  it('gives check digit 0 when the remainder is 0 or 1', () => {
    let seen = 0;
    for (let serial = 0; serial < 300 && seen < 5; serial++) {
      const first12 = `010100650${String(serial).padStart(3, '0')}`;
      const weights = [7, 6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2];
      const r = weights.reduce((a, w, i) => a + w * Number(first12[i]), 0) % 11;
      if (r > 1) continue;
      seen++;
      expect(validateEmso(`${first12}0`)).toBe(true);
    }
    expect(seen).toBeGreaterThan(0);
  });

  it('rejects wrong lengths and non-digits', () => {
    for (const id of [
      '',
      '010100650000',
      '01010065000066',
      '01010065000a6',
      ' 0101006500006',
      'x',
    ]) {
      expect(validateEmso(id)).toBe(false);
      expect(codeOf(() => checkEmso(id))).toBe('CORE_IDENTIFIER_FORMAT');
    }
    expect(validateEmso(101006500006 as unknown as string)).toBe(false);
  });

  it('rejects impossible birth dates', () => {
    for (const date of ['3102', '3104', '0013', '0000', '3201', '2902']) {
      // 29 Feb 2001 (YYY 001) does not exist; the others have no such day or month.
      const id = emsoWithCheckDigit(`${date}00150001`)!;
      expect(codeOf(() => checkEmso(id))).toBe('CORE_IDENTIFIER_BIRTH_DATE');
    }
  });

  it('rejects a birth date after the reference day', () => {
    const id = emsoWithCheckDigit('010103050001')!; // 1 Jan 2030
    expect(validateEmso(id, { asOf: new Date('2026-12-03') })).toBe(false);
    expect(validateEmso(id, { asOf: new Date('2031-01-01') })).toBe(true);
  });

  it('restricts register codes only when asked', () => {
    const bosnian = emsoWithCheckDigit('010197010001')!;
    expect(validateEmso(bosnian)).toBe(true);
    expect(codeOf(() => checkEmso(bosnian, { registers: SLOVENIAN_REGISTERS }))).toBe(
      'CORE_IDENTIFIER_REGISTER',
    );
  });

  it('never puts the number into the error message or context', () => {
    const id = '0101006500007';
    try {
      checkEmso(id);
      expect.fail('expected a refusal');
    } catch (err) {
      expect(JSON.stringify((err as CoreError).toJSON())).not.toContain(id);
      expect((err as Error).message).not.toContain(id);
    }
  });
});

describe('tax number', () => {
  it('accepts the documented example', () => {
    expect(validateTaxNumber('50223054')).toBe(true);
  });

  it('turns a computed 10 into check digit 0 and never issues 11', () => {
    let tens = 0;
    let elevens = 0;
    for (let n = 1000000; n < 1000400; n++) {
      const first7 = String(n);
      const sum = [8, 7, 6, 5, 4, 3, 2].reduce((a, w, i) => a + w * Number(first7[i]), 0);
      const check = 11 - (sum % 11);
      if (check === 10) {
        tens++;
        expect(validateTaxNumber(`${first7}0`)).toBe(true);
      }
      if (check === 11) {
        elevens++;
        expect(taxNumberWithCheckDigit(first7)).toBeNull();
        for (let k = 0; k <= 9; k++) expect(validateTaxNumber(`${first7}${k}`)).toBe(false);
      }
    }
    expect(tens).toBeGreaterThan(0);
    expect(elevens).toBeGreaterThan(0);
  });

  it('rejects wrong check digits, lengths, a leading zero and non-digits', () => {
    expect(codeOf(() => parseSubject({ scheme: 'tax', id: '50223055' }))).toBe(
      'CORE_IDENTIFIER_CHECK_DIGIT',
    );
    for (const id of ['5022305', '502230544', '05022305', '5022305a', '']) {
      expect(validateTaxNumber(id)).toBe(false);
    }
  });
});

describe('identifier schemes', () => {
  it('parses a subject, trimming white space and the SI VAT prefix', () => {
    expect(parseSubject({ scheme: 'emso', id: ' 0101006500006 ' })).toEqual({
      scheme: 'emso',
      id: '0101006500006',
    });
    expect(parseSubject({ scheme: 'tax', id: 'SI50223054' })).toEqual({
      scheme: 'tax',
      id: '50223054',
    });
  });

  it('refuses an unknown scheme with its own code', () => {
    expect(codeOf(() => parseSubject({ scheme: 'iban', id: 'SI56' }))).toBe(
      'CORE_IDENTIFIER_SCHEME_UNKNOWN',
    );
  });

  it('lets an agency register a scheme of its own, once', () => {
    const schemes = createDefaultSchemes().register({
      name: 'student',
      description: 'student card number',
      check: (id) => {
        if (!/^S\d{6}$/.test(id)) throw new CoreError('CORE_IDENTIFIER_FORMAT', 'Bad card.');
      },
    });
    expect(schemes.names()).toEqual(['emso', 'tax', 'student']);
    expect(schemes.isValid({ scheme: 'student', id: 'S123456' })).toBe(true);
    expect(schemes.isValid({ scheme: 'student', id: 'S12' })).toBe(false);
    expect(codeOf(() => schemes.register({ name: 'emso', description: '', check: () => {} }))).toBe(
      'CORE_IDENTIFIER_SCHEME_DUPLICATE',
    );
  });
});
