// Checks a case as the enquirer opens it and builds its stored row.

import { newId, parseSubject, type Clock } from '@interop-blocks/core';
import { TrayError } from '../errors.js';
import type { GatheringProcess } from '../process/define-process.js';
import { isIsoDate } from './periods.js';
import type { CaseRow } from './tables.js';
import type { CaseInput } from './types.js';

const PRINTABLE = /^[^\p{Cc}\p{Cs}]+$/u;

/**
 * The row of a new case: every fact present and printable, the applicant's identifier valid, the
 * application date a real date, a process for the purpose.
 *
 * @throws TrayError `TRAY_CASE_INVALID` (naming the field, never its value),
 * `TRAY_PURPOSE_UNKNOWN`.
 */
export function caseRowFor(
  input: CaseInput,
  processes: ReadonlyMap<string, GatheringProcess>,
  defaults: { organisation: string; clock: Clock },
): CaseRow {
  const process = processes.get(input?.purpose);
  if (!process) {
    throw new TrayError('TRAY_PURPOSE_UNKNOWN', 'No gathering process serves this purpose.', {
      context: { purpose: String(input?.purpose).slice(0, 64) },
    });
  }
  const legalBasis = input.legalBasis ?? process.declaration.legalBasis;
  const organisation = input.organisation ?? defaults.organisation;
  text('legalBasis', legalBasis, 200);
  text('caseReference', input.caseReference, 100);
  text('organisation', organisation, 100);
  text('official', input.official, 100);
  if (!isIsoDate(input.applicationDate)) invalid('applicationDate');

  let applicant: { scheme: string; id: string };
  try {
    applicant = parseSubject(input.applicant);
  } catch (cause) {
    throw new TrayError('TRAY_CASE_INVALID', 'The applicant is not a valid subject.', {
      context: { field: 'applicant' },
      cause,
    });
  }

  const now = defaults.clock.now();
  const deadline = input.deadline ?? now + (process.declaration.deadlineMs ?? 2 * 86_400_000);
  if (!Number.isSafeInteger(deadline) || deadline <= now) invalid('deadline');
  return {
    id: newId(defaults.clock),
    purpose: process.purpose,
    legal_basis: legalBasis,
    case_ref: input.caseReference,
    organisation,
    official: input.official,
    applicant_scheme: applicant.scheme,
    applicant_id: applicant.id,
    application_date: input.applicationDate,
    deadline,
    status: 'open',
    created_at: now,
    finished_at: null,
    collected_at: null,
  };
}

function text(field: string, value: unknown, max: number): void {
  if (typeof value !== 'string' || value.length === 0 || value.length > max) invalid(field);
  if (!PRINTABLE.test(value as string)) invalid(field);
}

function invalid(field: string): never {
  throw new TrayError('TRAY_CASE_INVALID', `The case field ${field} is missing or malformed.`, {
    context: { field },
  });
}
