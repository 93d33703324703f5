// Validates a source catalogue and compiles what the Tray needs of each source.

import { createAjv } from '@interop-blocks/core';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { TrayError } from '../errors.js';
import {
  CatalogueSchema,
  type CatalogueDeclaration,
  type Limits,
  type SourceDeclaration,
} from './catalogue-schema.js';

/** Limits applied where a source declares none. */
export const DEFAULT_LIMITS: Required<Omit<Limits, 'ratePerSecond'>> &
  Pick<Limits, 'ratePerSecond'> = {
  timeoutMs: 10_000,
  retries: 2,
  backoffBaseMs: 200,
  backoffMaxMs: 10_000,
  concurrency: 8,
  ratePerSecond: undefined,
  batchSize: 1,
  batchWindowMs: 0,
  breakerFailures: 5,
  breakerHalfOpenAfterMs: 30_000,
  deadlineMs: 86_400_000,
};

/** A checked source, with its limits filled in and its answer validator compiled. */
export interface Source {
  readonly declaration: SourceDeclaration;
  readonly id: string;
  readonly limits: typeof DEFAULT_LIMITS;
  /** Validates one canonical record. */
  readonly validateRecord: ValidateFunction;
  /** True when the source may be asked for `purpose`. */
  serves(purpose: string): boolean;
}

/** A checked catalogue: sources by id and groups by name. */
export interface Catalogue {
  readonly sources: ReadonlyMap<string, Source>;
  /** Group name -> source ids, in catalogue order. */
  readonly groups: ReadonlyMap<string, readonly string[]>;
  /** The source `id`, or undefined. */
  source(id: string): Source | undefined;
}

const validateCatalogue = createAjv().compile(CatalogueSchema);

/**
 * Checks a catalogue: its schema, unique source ids, answer schemas that compile in strict mode,
 * and mappings whose fields the answer schema declares.
 *
 * @throws TrayError `TRAY_CATALOGUE_INVALID`, `TRAY_CATALOGUE_DUPLICATE`,
 *   `TRAY_CATALOGUE_MAPPING_INVALID`.
 * @example
 * ```ts
 * const catalogue = defineCatalogue(JSON.parse(await readFile('catalogue.json', 'utf8')));
 * ```
 */
export function defineCatalogue(declaration: CatalogueDeclaration): Catalogue {
  if (!validateCatalogue(declaration)) {
    throw schemaError(
      'TRAY_CATALOGUE_INVALID',
      'The catalogue is invalid',
      validateCatalogue.errors,
    );
  }

  const sources = new Map<string, Source>();
  const groups = new Map<string, string[]>();
  for (const declared of declaration.sources) {
    if (sources.has(declared.id)) {
      throw new TrayError('TRAY_CATALOGUE_DUPLICATE', 'Two sources have the same id.', {
        context: { source: declared.id },
      });
    }
    sources.set(declared.id, compileSource(declared));
    if (declared.group)
      groups.set(declared.group, [...(groups.get(declared.group) ?? []), declared.id]);
  }

  return Object.freeze({ sources, groups, source: (id: string) => sources.get(id) });
}

function compileSource(declared: SourceDeclaration): Source {
  let validateRecord: ValidateFunction;
  try {
    validateRecord = createAjv().compile(declared.answerSchema);
  } catch (cause) {
    throw new TrayError(
      'TRAY_CATALOGUE_INVALID',
      'The answer schema does not compile in strict mode.',
      {
        context: { source: declared.id, path: '/answerSchema' },
        cause,
      },
    );
  }
  checkMapping(declared);

  const purposes = new Set(declared.purposes);
  return Object.freeze({
    declaration: declared,
    id: declared.id,
    limits: { ...DEFAULT_LIMITS, ...declared.limits },
    validateRecord,
    serves: (purpose: string) => purposes.has(purpose),
  });
}

function checkMapping(declared: SourceDeclaration): void {
  const fields = Object.keys(declared.mapping?.fields ?? {});
  const properties = declared.answerSchema.properties;
  if (fields.length === 0) return;
  if (typeof properties !== 'object' || properties === null) {
    throw new TrayError(
      'TRAY_CATALOGUE_MAPPING_INVALID',
      'A mapped source needs an answer schema with properties.',
      {
        context: { source: declared.id },
      },
    );
  }
  for (const field of fields) {
    if (!Object.prototype.hasOwnProperty.call(properties, field)) {
      throw new TrayError(
        'TRAY_CATALOGUE_MAPPING_INVALID',
        'The mapping names a field the answer schema does not declare.',
        {
          context: { source: declared.id, field },
        },
      );
    }
  }
}

/** A coded error naming the first schema problem by path and keyword, never by value. */
export function schemaError(
  code: 'TRAY_CATALOGUE_INVALID' | 'TRAY_PROCESS_INVALID',
  message: string,
  errors: ErrorObject[] | null | undefined,
): TrayError {
  const first = errors?.[0];
  const path = first?.instancePath || '/';
  return new TrayError(code, `${message}: ${path} ${first?.keyword ?? ''}.`, {
    context: { path, keyword: first?.keyword },
  });
}
