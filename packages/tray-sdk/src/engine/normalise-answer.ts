// Applies a source's mapping to its answer and validates every record against the canonical schema.

import type { Source } from '../catalogue/define-catalogue.js';
import { readPointer } from './json-pointer.js';

/** The canonical records of an answer, or why the answer does not fit. */
export type Normalised = { ok: true; records: unknown[] } | { ok: false; message: string };

/**
 * From the source's answer to canonical records: take the records at `mapping.records` (an array,
 * or one object), build each canonical record from the field pointers, then validate each one.
 * Without a mapping the answer is taken as is. Messages name paths and keywords, never values.
 */
export function normaliseAnswer(source: Source, data: unknown): Normalised {
  const mapping = source.declaration.mapping;
  const at = mapping?.records === undefined ? data : readPointer(data, mapping.records);
  if (at === undefined || at === null) {
    return { ok: false, message: 'The answer has no records where the mapping points.' };
  }
  const raw = Array.isArray(at) ? (at as unknown[]) : [at];

  const records = mapping ? raw.map((record) => mapRecord(record, mapping.fields)) : raw;
  for (const [index, record] of records.entries()) {
    if (!source.validateRecord(record)) {
      const first = source.validateRecord.errors?.[0];
      const path = first?.instancePath || '/';
      return {
        ok: false,
        message:
          `Record ${index} does not fit the canonical schema: ` +
          `${path} ${first?.keyword ?? ''}.`,
      };
    }
  }
  return { ok: true, records };
}

function mapRecord(record: unknown, fields: Record<string, string>): Record<string, unknown> {
  const canonical: Record<string, unknown> = {};
  for (const [field, pointer] of Object.entries(fields)) {
    const value = readPointer(record, pointer);
    if (value !== undefined) canonical[field] = value;
  }
  return canonical;
}
