import { describe, expect, it } from 'vitest';
import { IoError, defineDataset, defineDatasets, projectFields } from '../src/index.js';
import { incomeDeclaration } from './fixtures/income-dataset.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof IoError ? err.code : `uncoded: ${String(err)}`;
  }
  return undefined;
}

describe('dataset declarations', () => {
  it('accept a complete declaration and expose the fields of each purpose', () => {
    const dataset = defineDataset(incomeDeclaration);
    expect(dataset.fieldsFor('child-benefit')).toEqual(['month', 'amount']);
    expect(dataset.fieldsFor('rent-subsidy')).toBeUndefined();
    expect(dataset.keepVersions).toBe(2);
    expect(dataset.validateRecord({ emso: 'x', month: '2025-01', amount: 1 })).toBe(true);
    expect(dataset.validateRecord({ emso: 'x', month: '2025-01' })).toBe(false);
  });

  it('refuse a purpose that names an undeclared field', () => {
    const bad = { ...incomeDeclaration, purposes: { 'child-benefit': { fields: ['salary'] } } };
    expect(codeOf(() => defineDataset(bad))).toBe('IO_DATASET_UNKNOWN_FIELD');
  });

  it('refuse a subject key on an undeclared field', () => {
    const bad = {
      ...incomeDeclaration,
      subjectKeys: [{ scheme: 'emso', field: 'personalNumber' }],
    };
    expect(codeOf(() => defineDataset(bad))).toBe('IO_DATASET_UNKNOWN_FIELD');
  });

  it('refuse schema errors in the declaration and in the record schema', () => {
    expect(codeOf(() => defineDataset({ ...incomeDeclaration, id: 'Bad Id' }))).toBe(
      'IO_DATASET_INVALID',
    );
    const unknownKeyword = {
      ...incomeDeclaration,
      recordSchema: {
        ...incomeDeclaration.recordSchema,
        properties: { emso: { type: 'string', colour: 1 } },
      },
      subjectKeys: [{ scheme: 'emso', field: 'emso' }],
      purposes: {},
    };
    expect(codeOf(() => defineDataset(unknownKeyword))).toBe('IO_DATASET_INVALID');
  });

  it('refuse two datasets with one id', () => {
    expect(codeOf(() => defineDatasets([incomeDeclaration, incomeDeclaration]))).toBe(
      'IO_DATASET_DUPLICATE',
    );
  });

  it('project a record onto the fields of a purpose', () => {
    const record = { emso: 'x', month: '2025-01', amount: 5, payer: 'p' };
    expect(projectFields(record, ['month', 'amount', 'kind'])).toEqual({
      month: '2025-01',
      amount: 5,
    });
    expect(projectFields(record, '*')).toEqual(record);
  });
});
