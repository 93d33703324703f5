// Grants rights and assigns roles; suspends, resumes and revokes them. Nothing is deleted.

import { newId } from '@interop-blocks/core';
import type { Kysely } from 'kysely';
import {
  findAssignment,
  findGrant,
  findPrincipal,
  listAssignmentRows,
} from '../rights/read-registry.js';
import type { RightsInternals } from '../rights/rights-internals.js';
import { toAssignment, toRight } from '../rights/row-mapping.js';
import { parseSourcePattern } from '../rights/source-pattern.js';
import type { RightsDb } from '../rights/tables.js';
import {
  RIGHT_ACTIONS,
  type ChangeContext,
  type Right,
  type RightAction,
  type RoleAssignment,
} from '../rights/types.js';
import {
  checkFields,
  checkId,
  checkPurposes,
  checkTime,
  invalidInput,
} from '../rights/validate-input.js';
import { commitChange, duplicate, notFound, transitionInvalid } from './commit-change.js';
import { nextStatus } from './register-principals.js';

/** A new right. */
export interface GrantInput {
  /** Default a new UUIDv7. */
  id?: string;
  /** The organisation, application, user or role that holds the right. */
  principalId: string;
  action: RightAction;
  /** A source id or pattern (`bank.*`), see `parseSourcePattern`. */
  source: string;
  purposes: string[];
  /** Field names the purposes may see; absent or `'*'` for every field. */
  fields?: string[] | '*';
  /** Default now. */
  validFrom?: Date | string | number;
  /** Exclusive end; absent for open-ended. */
  validUntil?: Date | string | number;
}

/** A role given to a member. */
export interface AssignRoleInput {
  id?: string;
  roleId: string;
  /** The organisation, application or user receiving the role. */
  memberId: string;
}

/**
 * Grants a right.
 * @throws SecurityError `RIGHTS_INPUT_INVALID`, `RIGHTS_PATTERN_INVALID`, `RIGHTS_NOT_FOUND`
 *   (holder), `RIGHTS_DUPLICATE` (id), `RIGHTS_TRANSITION_INVALID` (holder revoked),
 *   `RIGHTS_TRAIL_FAILED`.
 */
export async function grantRight(
  internals: RightsInternals,
  input: GrantInput,
  context: ChangeContext,
): Promise<Right> {
  const v = (typeof input === 'object' && input !== null ? input : {}) as Partial<GrantInput>;
  const id = v.id === undefined ? newId(internals.clock) : checkId(v.id, 'id');
  const principalId = checkId(v.principalId, 'principalId');
  if (!RIGHT_ACTIONS.includes(v.action as RightAction)) {
    throw invalidInput('action', 'action is query, answer or administer.');
  }
  const source = parseSourcePattern(v.source as string).text;
  const purposes = checkPurposes(v.purposes);
  const fields = checkFields(v.fields);
  const validFrom = v.validFrom === undefined ? undefined : checkTime(v.validFrom, 'validFrom');
  const validUntil = v.validUntil === undefined ? null : checkTime(v.validUntil, 'validUntil');

  return commitChange(internals, context, async (trx, now) => {
    if (await findGrant(trx, id)) throw duplicate('right id', { id });
    const holder = await findPrincipal(trx, principalId);
    if (!holder) throw notFound('principal', principalId);
    if (holder.status === 'revoked') throw transitionInvalid('principal', principalId, 'revoked');
    const from = validFrom ?? now;
    if (validUntil !== null && validUntil <= from) {
      throw invalidInput('validUntil', 'validUntil comes after validFrom.');
    }

    await trx
      .insertInto('rights_grants')
      .values({
        id,
        principal_id: principalId,
        action: v.action as RightAction,
        source,
        purposes: JSON.stringify(purposes),
        fields: fields === '*' ? null : JSON.stringify(fields),
        valid_from: from,
        valid_until: validUntil,
        status: 'active',
        version: 1,
        created_at: now,
        updated_at: now,
      })
      .execute();
    return { change: 'right.grant', entityKind: 'right', state: await loadRight(trx, id) };
  });
}

/**
 * Suspends, resumes or revokes a right.
 * @throws SecurityError `RIGHTS_INPUT_INVALID`, `RIGHTS_NOT_FOUND`, `RIGHTS_TRANSITION_INVALID`,
 *   `RIGHTS_TRAIL_FAILED`.
 */
export async function changeRightStatus(
  internals: RightsInternals,
  rightId: string,
  how: 'suspend' | 'resume' | 'revoke',
  context: ChangeContext,
): Promise<Right> {
  const id = checkId(rightId, 'rightId');

  return commitChange(internals, context, async (trx, now) => {
    const row = await findGrant(trx, id);
    if (!row) throw notFound('right', id);
    const next = nextStatus(row.status, how);
    if (!next) throw transitionInvalid('right', id, row.status);

    await trx
      .updateTable('rights_grants')
      .set({ status: next, version: Number(row.version) + 1, updated_at: now })
      .where('id', '=', id)
      .execute();
    return { change: `right.${how}`, entityKind: 'right', state: await loadRight(trx, id) };
  });
}

/**
 * Assigns a role. A role of an organisation goes only to that organisation and its members.
 * @throws SecurityError `RIGHTS_INPUT_INVALID`, `RIGHTS_NOT_FOUND`, `RIGHTS_DUPLICATE` (already
 *   assigned), `RIGHTS_TRANSITION_INVALID` (role or member revoked), `RIGHTS_TRAIL_FAILED`.
 */
export async function assignRole(
  internals: RightsInternals,
  input: AssignRoleInput,
  context: ChangeContext,
): Promise<RoleAssignment> {
  const v = (typeof input === 'object' && input !== null ? input : {}) as Partial<AssignRoleInput>;
  const id = v.id === undefined ? newId(internals.clock) : checkId(v.id, 'id');
  const roleId = checkId(v.roleId, 'roleId');
  const memberId = checkId(v.memberId, 'memberId');

  return commitChange(internals, context, async (trx, now) => {
    if (await findAssignment(trx, id)) throw duplicate('assignment id', { id });
    const role = await findPrincipal(trx, roleId);
    if (!role || role.kind !== 'role') throw notFound('role', roleId);
    const member = await findPrincipal(trx, memberId);
    if (!member || member.kind === 'role') throw notFound('member', memberId);
    if (role.status === 'revoked') throw transitionInvalid('role', roleId, 'revoked');
    if (member.status === 'revoked') throw transitionInvalid('member', memberId, 'revoked');
    const memberOrganisation = member.kind === 'organisation' ? member.id : member.organisation_id;
    if (role.organisation_id !== null && role.organisation_id !== memberOrganisation) {
      throw invalidInput(
        'memberId',
        "A role of an organisation goes to that organisation's members.",
      );
    }
    const existing = await listAssignmentRows(trx, { roleId, memberId });
    if (existing.some((a) => a.status === 'active'))
      throw duplicate('assignment', { roleId, memberId });

    await trx
      .insertInto('rights_assignments')
      .values({
        id,
        role_id: roleId,
        member_id: memberId,
        status: 'active',
        version: 1,
        created_at: now,
        updated_at: now,
      })
      .execute();
    return {
      change: 'assignment.assign',
      entityKind: 'assignment',
      state: await loadAssignment(trx, id),
    };
  });
}

/**
 * Takes a role away (the assignment is revoked, its history kept).
 * @throws SecurityError `RIGHTS_INPUT_INVALID`, `RIGHTS_NOT_FOUND`, `RIGHTS_TRANSITION_INVALID`,
 *   `RIGHTS_TRAIL_FAILED`.
 */
export async function revokeAssignment(
  internals: RightsInternals,
  assignmentId: string,
  context: ChangeContext,
): Promise<RoleAssignment> {
  const id = checkId(assignmentId, 'assignmentId');

  return commitChange(internals, context, async (trx, now) => {
    const row = await findAssignment(trx, id);
    if (!row) throw notFound('assignment', id);
    if (row.status !== 'active') throw transitionInvalid('assignment', id, row.status);

    await trx
      .updateTable('rights_assignments')
      .set({ status: 'revoked', version: Number(row.version) + 1, updated_at: now })
      .where('id', '=', id)
      .execute();
    return {
      change: 'assignment.revoke',
      entityKind: 'assignment',
      state: await loadAssignment(trx, id),
    };
  });
}

async function loadRight(trx: Kysely<RightsDb>, id: string): Promise<Right> {
  const row = await findGrant(trx, id);
  if (!row) throw notFound('right', id);
  return toRight(row);
}

async function loadAssignment(trx: Kysely<RightsDb>, id: string): Promise<RoleAssignment> {
  const row = await findAssignment(trx, id);
  if (!row) throw notFound('assignment', id);
  return toAssignment(row);
}
