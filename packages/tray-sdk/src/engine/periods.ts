// Periods and ages computed from the application date of a case.

import type { Period } from '@interop-blocks/core';
import type { StepDeclaration } from '../process/process-schema.js';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True when `value` is an existing calendar date written `YYYY-MM-DD`. */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return date.toISOString().slice(0, 10) === value;
}

/**
 * The period a step asks about, relative to the application date:
 * - `previous-calendar-year`: 1 January to 31 December of the year before the application;
 * - `last-3-months`, `last-12-months`: the whole calendar months before the month of application.
 */
export function periodFor(
  kind: StepDeclaration['period'],
  applicationDate: string,
): Period | undefined {
  if (!kind) return undefined;
  const [year, month] = applicationDate.split('-').map(Number) as [number, number];
  if (kind === 'previous-calendar-year') {
    return { from: `${year - 1}-01-01`, to: `${year - 1}-12-31` };
  }
  const months = kind === 'last-3-months' ? 3 : 12;
  const firstOfMonth = Date.UTC(year, month - 1, 1);
  const from = new Date(Date.UTC(year, month - 1 - months, 1));
  const to = new Date(firstOfMonth - 86_400_000);
  return { from: day(from), to: day(to) };
}

/** Whole years between `birthDate` and `onDate` (both ISO dates). */
export function ageOn(birthDate: string, onDate: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = onDate.split('-').map(Number) as [number, number, number];
  const hadBirthday = m > bm || (m === bm && d >= bd);
  return y - by - (hadBirthday ? 0 : 1);
}

function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}
