import { describe, expect, it } from 'vitest';
import { parseSourcePattern } from '../src/index.js';

describe('source patterns', () => {
  const cases: [string, string, boolean][] = [
    ['furs.income', 'furs.income', true],
    ['furs.income', 'furs.income.x', false],
    ['furs.income', 'furs', false],
    ['bank.*', 'bank.nlb', true],
    ['bank.*', 'bank.nlb.balances', true],
    ['bank.*', 'bank', false],
    ['bank.*', 'banka.nlb', false],
    ['bank.*.balances', 'bank.nlb.balances', true],
    ['bank.*.balances', 'bank.nlb.loans', false],
    ['bank.*.balances', 'bank.nlb.x.balances', false],
    ['*.income', 'furs.income', true],
    ['*.income', 'furs.x.income', false],
    ['*', 'crp.household', true],
    ['*', 'crp', true],
    ['*.*', 'crp', false],
    ['*.*', 'crp.household.members', true],
    ['zpiz_2.pension-data', 'zpiz_2.pension-data', true],
    ['bank.*', 'Bank.NLB', false],
  ];

  it.each(cases)('%s against %s is %s', (pattern, source, expected) => {
    expect(parseSourcePattern(pattern).matches(source)).toBe(expected);
  });

  it.each([
    '',
    'bank.',
    '.bank',
    'ban*',
    'bank.n*',
    'bank..nlb',
    'Bank.*',
    'bank/*',
    'bank.**',
    'x'.repeat(129),
  ])('refuses the pattern %j with RIGHTS_PATTERN_INVALID', (pattern) => {
    expect(() => parseSourcePattern(pattern)).toThrowError(
      expect.objectContaining({ code: 'RIGHTS_PATTERN_INVALID' }),
    );
  });
});
