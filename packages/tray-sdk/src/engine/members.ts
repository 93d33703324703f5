// Reads the members an earlier step's answer lists, and filters them by relation and age.

import { checkEmso, type SubjectRef } from '@interop-blocks/core';
import type { MembersSchema, SubjectSelector } from '../process/process-schema.js';
import type { Static } from '@sinclair/typebox';
import { readPointer } from './json-pointer.js';
import { ageOn, isIsoDate } from './periods.js';

/** A member as an answer lists it. */
export interface Member {
  subject: SubjectRef;
  relation?: string;
  birthDate?: string;
}

const SCHEME = /^[a-z][a-z0-9-]{0,31}$/;

/**
 * The members listed in the canonical records of one answer, at the step's `members` pointer.
 * Entries that do not name a subject are left out.
 */
export function readMembers(
  records: readonly unknown[],
  members: Static<typeof MembersSchema>,
): Member[] {
  const found: Member[] = [];
  for (const record of records) {
    const list = readPointer(record, members.pointer);
    if (!Array.isArray(list)) continue;
    for (const entry of list as unknown[]) {
      const member = toMember(entry, members);
      if (member) found.push(member);
    }
  }
  return found;
}

/**
 * The members a selector keeps: by relation, and by whole years of age on the application date.
 * A member without a birth date takes it from an EMSO; with no birth date at all it is left out of
 * an age-filtered step.
 */
export function selectMembers(
  members: readonly Member[],
  selector: Extract<SubjectSelector, { from: string }>,
  applicationDate: string,
): Member[] {
  const seen = new Set<string>();
  return members.filter((member) => {
    const key = `${member.subject.scheme}\u0000${member.subject.id}`;
    if (seen.has(key)) return false;
    seen.add(key);
    if (selector.relations && !selector.relations.includes(member.relation ?? '')) return false;
    if (selector.minAge === undefined && selector.maxAge === undefined) return true;

    const birthDate = member.birthDate ?? birthDateOf(member.subject);
    // TODO(members-age): a member whose age is unknown is left out of age-filtered steps; the
    // step row does not yet count how many were left out.
    if (!birthDate) return false;
    const age = ageOn(birthDate, applicationDate);
    if (selector.minAge !== undefined && age < selector.minAge) return false;
    return selector.maxAge === undefined || age <= selector.maxAge;
  });
}

function toMember(entry: unknown, fields: Static<typeof MembersSchema>): Member | undefined {
  if (typeof entry !== 'object' || entry === null) return undefined;
  const record = entry as Record<string, unknown>;
  const scheme = record[fields.scheme ?? 'scheme'];
  const id = record[fields.id ?? 'id'];
  const relation = record[fields.relation ?? 'relation'];
  const birthDate = record[fields.birthDate ?? 'birthDate'];
  if (typeof scheme !== 'string' || !SCHEME.test(scheme)) return undefined;
  if (typeof id !== 'string' || id.length === 0 || id.length > 64) return undefined;
  return {
    subject: { scheme, id },
    relation: typeof relation === 'string' ? relation : undefined,
    birthDate: isIsoDate(birthDate) ? birthDate : undefined,
  };
}

function birthDateOf(subject: SubjectRef): string | undefined {
  if (subject.scheme !== 'emso') return undefined;
  try {
    return checkEmso(subject.id).birthDate;
  } catch {
    return undefined;
  }
}
