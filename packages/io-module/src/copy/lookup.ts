// Reads the records of many subjects from one version in one query.

import { sql, type Kysely } from 'kysely';
import { recordTable } from './version-tables.js';

/**
 * The records of each subject key, in load order. Keys without records are absent from the map.
 */
export async function readRecords(
  db: Kysely<unknown>,
  version: number,
  keys: readonly string[],
): Promise<Map<string, Record<string, unknown>[]>> {
  const found = new Map<string, Record<string, unknown>[]>();
  if (keys.length === 0) return found;

  const { rows } = await sql<{ subject_key: string; data: string }>`
    select subject_key, data from ${sql.id(recordTable(version))}
    where subject_key in (${sql.join([...new Set(keys)])})
    order by subject_key, ord`.execute(db);

  for (const row of rows) {
    let list = found.get(row.subject_key);
    if (!list) {
      list = [];
      found.set(row.subject_key, list);
    }
    list.push(JSON.parse(row.data) as Record<string, unknown>);
  }
  return found;
}
