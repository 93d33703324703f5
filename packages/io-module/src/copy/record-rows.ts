// Checks one record against its dataset and turns it into stored rows, one per subject key.

import { InteropError, type IdentifierSchemes, type Subject } from '@interop-blocks/core';
import type { Dataset } from '../dataset/define-dataset.js';
import { subjectKey } from './version-tables.js';

/** Why a record was rejected: malformed input, schema violation, or an invalid identifier. */
export interface RecordProblem {
  line: number;
  code: 'malformed' | 'schema' | 'identifier';
  /** JSON pointer of the failing part (never its value). */
  path: string;
}

/** A stored row: subject key, order, record JSON. */
export type RecordRow = [key: string, ord: number, data: string];

/**
 * Validates `record` and returns its rows, or the problem. `raw` is the record's text when it came
 * as JSON, stored as is to spare a second serialisation.
 */
export function recordRows(
  dataset: Dataset,
  schemes: IdentifierSchemes,
  record: Record<string, unknown>,
  raw: string | undefined,
  line: number,
  ord: number,
): RecordRow[] | RecordProblem {
  if (!dataset.validateRecord(record)) {
    const first = dataset.validateRecord.errors?.[0];
    return { line, code: 'schema', path: first?.instancePath || '/' };
  }

  const data = raw ?? JSON.stringify(record);
  const rows: RecordRow[] = [];
  for (const key of dataset.declaration.subjectKeys) {
    const value = record[key.field];
    if (value === undefined || value === null) continue;
    let subject: Subject;
    try {
      subject = schemes.parse({ scheme: key.scheme, id: String(value) });
    } catch (err) {
      if (!InteropError.is(err)) throw err;
      return { line, code: 'identifier', path: `/${key.field}` };
    }
    rows.push([subjectKey(subject.scheme, subject.id), ord, data]);
  }
  if (rows.length === 0) {
    return {
      line,
      code: 'identifier',
      path: `/${dataset.declaration.subjectKeys[0]?.field ?? ''}`,
    };
  }
  return rows;
}
