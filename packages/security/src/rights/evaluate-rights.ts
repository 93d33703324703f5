// Decides from the rights of a principal's holders: patterns, purposes, validity, status, fields.

import { parseSourcePattern } from './source-pattern.js';
import type { GrantRow } from './tables.js';
import { RIGHTS_ALLOWED, type AuthorizationDecision } from './types.js';
import type { RightsRefusalCode } from './rights-error-codes.js';

/** A decision and the evaluation times it holds for. */
export interface TimedDecision {
  decision: AuthorizationDecision;
  from: number;
  until: number;
}

const REVOKED: [RightsRefusalCode, string] = [
  'RIGHTS_RIGHT_REVOKED',
  'The right for this purpose is revoked.',
];

/** Why a matching right does not apply, most hopeful first: the first found is reported. */
const INAPPLICABLE: readonly [RightsRefusalCode, string][] = [
  ['RIGHTS_RIGHT_NOT_YET_VALID', 'The right for this purpose is not valid yet.'],
  ['RIGHTS_RIGHT_SUSPENDED', 'The right for this purpose is suspended.'],
  ['RIGHTS_RIGHT_EXPIRED', 'The right for this purpose has expired.'],
  REVOKED,
];

/**
 * Decides an action on `source` for `purpose` at `time` from the holders' rights for that action.
 *
 * 1. Rights whose pattern matches the source; none: `RIGHTS_NO_RIGHT`.
 * 2. Of those, rights covering the purpose; none: `RIGHTS_PURPOSE_NOT_COVERED`.
 * 3. Of those, rights active and valid at `time` allow, with the union of their fields; if none,
 *    the refusal names why the others do not apply (see {@link INAPPLICABLE}).
 */
export function evaluateRights(
  rows: readonly GrantRow[],
  source: string,
  purpose: string,
  time: number,
): TimedDecision {
  const matching = rows.filter((r) => parseSourcePattern(r.source).matches(source));
  const window = validityWindow(matching, time);
  if (matching.length === 0) {
    return { ...window, decision: refused('RIGHTS_NO_RIGHT', 'No right for this source.', []) };
  }

  const covering = matching.filter((r) => (JSON.parse(r.purposes) as string[]).includes(purpose));
  if (covering.length === 0) {
    const ids = matching.map((r) => r.id);
    const message = 'No right for this source covers the purpose.';
    return { ...window, decision: refused('RIGHTS_PURPOSE_NOT_COVERED', message, ids) };
  }

  const applying = covering.filter((r) => whyNot(r, time) === undefined);
  if (applying.length === 0) {
    const reasons = new Set(covering.map((r) => whyNot(r, time)));
    const [code, message] = INAPPLICABLE.find(([c]) => reasons.has(c)) ?? REVOKED;
    return {
      ...window,
      decision: refused(
        code,
        message,
        covering.map((r) => r.id),
      ),
    };
  }

  return {
    ...window,
    decision: {
      allowed: true,
      reason: { code: RIGHTS_ALLOWED, message: 'A right allows this action for this purpose.' },
      fields: unionOfFields(applying),
      rightIds: applying.map((r) => r.id),
    },
  };
}

/** Why a right does not apply at `time`, or undefined when it does. */
export function whyNot(row: GrantRow, time: number): RightsRefusalCode | undefined {
  if (row.status === 'revoked') return 'RIGHTS_RIGHT_REVOKED';
  if (row.status === 'suspended') return 'RIGHTS_RIGHT_SUSPENDED';
  if (time < Number(row.valid_from)) return 'RIGHTS_RIGHT_NOT_YET_VALID';
  if (row.valid_until !== null && time >= Number(row.valid_until)) return 'RIGHTS_RIGHT_EXPIRED';
  return undefined;
}

/** `'*'` if any right sees every field, else the sorted union of the named fields. */
function unionOfFields(rows: readonly GrantRow[]): string[] | '*' {
  if (rows.some((r) => r.fields === null)) return '*';
  const fields = new Set(rows.flatMap((r) => JSON.parse(r.fields ?? '[]') as string[]));
  return [...fields].sort();
}

/** The times around `time` between which no matching right starts or ends. */
function validityWindow(rows: readonly GrantRow[], time: number): { from: number; until: number } {
  let from = Number.NEGATIVE_INFINITY;
  let until = Number.POSITIVE_INFINITY;
  for (const row of rows) {
    for (const edge of [row.valid_from, row.valid_until]) {
      if (edge === null) continue;
      const ms = Number(edge);
      if (ms <= time) from = Math.max(from, ms);
      else until = Math.min(until, ms);
    }
  }
  return { from, until };
}

/** A refusal decision. */
export function refused(
  code: RightsRefusalCode,
  message: string,
  rightIds: string[],
): AuthorizationDecision {
  return { allowed: false, reason: { code, message }, fields: [], rightIds };
}
