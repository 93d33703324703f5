// Field-level minimisation: a record reduced to the fields a purpose may see.

/**
 * Returns a copy of `record` holding only `fields` (top-level properties), or the record itself
 * when
 * every field is allowed (`'*'`).
 */
export function projectFields(
  record: Readonly<Record<string, unknown>>,
  fields: readonly string[] | '*',
): Record<string, unknown> {
  if (fields === '*') return { ...record };
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    if (Object.prototype.hasOwnProperty.call(record, field)) out[field] = record[field];
  }
  return out;
}
