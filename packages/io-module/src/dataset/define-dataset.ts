// Validates dataset declarations and compiles what serving them needs: record validator, key
// fields.

import { createAjv } from '@interop-blocks/core';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { IoError } from '../errors.js';
import { DatasetDeclarationSchema, type DatasetDeclaration } from './declaration-schema.js';

/** A validated dataset, ready to load and serve. */
export interface Dataset {
  readonly declaration: DatasetDeclaration;
  readonly id: string;
  /** Validates one record; `errors` holds the first problem (path and keyword). */
  readonly validateRecord: ValidateFunction;
  /** Versions kept after a switch, the live one included. */
  readonly keepVersions: number;
  /** Subjects one lookup may ask for. */
  readonly maxBatch: number;
  /** The fields a purpose may see, or undefined when the purpose is not declared. */
  fieldsFor(purpose: string): readonly string[] | undefined;
}

const declarationAjv = createAjv();
const validateDeclaration = declarationAjv.compile(DatasetDeclarationSchema);

/**
 * Checks a dataset declaration and compiles its record schema.
 *
 * @throws IoError `IO_DATASET_INVALID` (declaration or record schema invalid; `context.path`),
 *   `IO_DATASET_UNKNOWN_FIELD` (a purpose or subject key names an undeclared field).
 * @example
 * ```ts
 * const income = defineDataset({
 *   id: 'furs.income', title: 'Income', owner: 'VATSI-12345678',
 *   subjectKeys: [{ scheme: 'emso', field: 'emso' }],
 *   recordSchema: { type: 'object', properties: { emso: { type: 'string' }, amount: { type:
 *   'number' } },
 *     required: ['emso', 'amount'], additionalProperties: false },
 *   purposes: { 'child-benefit': { fields: ['amount'] } },
 * });
 * ```
 */
export function defineDataset(declaration: DatasetDeclaration): Dataset {
  if (!validateDeclaration(declaration)) {
    throw declarationError(validateDeclaration.errors, 'The dataset declaration is invalid');
  }

  const properties = Object.keys(declaration.recordSchema.properties);
  const known = new Set(properties);
  for (const key of declaration.subjectKeys) {
    if (!known.has(key.field)) throw unknownField(declaration.id, key.field, 'subjectKeys');
  }
  for (const [purpose, { fields }] of Object.entries(declaration.purposes)) {
    for (const field of fields) {
      if (!known.has(field)) throw unknownField(declaration.id, field, `purposes.${purpose}`);
    }
  }

  let validateRecord: ValidateFunction;
  try {
    validateRecord = createAjv().compile(declaration.recordSchema);
  } catch (cause) {
    throw new IoError('IO_DATASET_INVALID', 'The record schema does not compile in strict mode.', {
      context: { dataset: declaration.id, path: '/recordSchema' },
      cause,
    });
  }

  const purposes = new Map(Object.entries(declaration.purposes).map(([p, v]) => [p, v.fields]));
  return Object.freeze({
    declaration,
    id: declaration.id,
    validateRecord,
    keepVersions: declaration.keepVersions ?? 3,
    maxBatch: declaration.maxBatch ?? 1000,
    fieldsFor: (purpose: string) => purposes.get(purpose),
  });
}

/** The scheme of the dataset's first subject key: the one subjects are counted by. */
export function primaryScheme(dataset: Dataset): string {
  return dataset.declaration.subjectKeys[0]?.scheme ?? '';
}

/**
 * Checks a set of declarations, each on its own and together (ids unique).
 * @throws IoError as {@link defineDataset}, and `IO_DATASET_DUPLICATE`.
 */
export function defineDatasets(declarations: readonly DatasetDeclaration[]): Map<string, Dataset> {
  const datasets = new Map<string, Dataset>();
  for (const declaration of declarations) {
    const dataset = defineDataset(declaration);
    if (datasets.has(dataset.id)) {
      throw new IoError('IO_DATASET_DUPLICATE', 'Two datasets are declared with the same id.', {
        context: { dataset: dataset.id },
      });
    }
    datasets.set(dataset.id, dataset);
  }
  return datasets;
}

function unknownField(dataset: string, field: string, where: string): IoError {
  return new IoError(
    'IO_DATASET_UNKNOWN_FIELD',
    `${where} names a field the record schema does not declare.`,
    {
      context: { dataset, field, where },
    },
  );
}

function declarationError(errors: ErrorObject[] | null | undefined, message: string): IoError {
  const first = errors?.[0];
  return new IoError(
    'IO_DATASET_INVALID',
    `${message}: ${first?.instancePath || '/'} ${first?.keyword ?? ''}.`,
    {
      context: { path: first?.instancePath || '/', keyword: first?.keyword },
    },
  );
}
