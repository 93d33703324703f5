// Reads of the rights registry: principals, certificates, roles, rights and the change history.

import type { Kysely } from 'kysely';
import type {
  AssignmentRow,
  CertificateRow,
  ChangeRow,
  GrantRow,
  PrincipalRow,
  RightsDb,
} from './tables.js';

type Db = Kysely<RightsDb>;

/** The registry's change counter: it grows with every committed change. */
export async function readGeneration(db: Db): Promise<number> {
  const row = await db
    .selectFrom('rights_generation')
    .select('generation')
    .where('id', '=', 1)
    .executeTakeFirst();
  return Number(row?.generation ?? 0);
}

/** One principal row by id. */
export function findPrincipal(db: Db, id: string): Promise<PrincipalRow | undefined> {
  return db.selectFrom('rights_principals').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Principal rows, optionally of one kind or organisation, ordered by id. */
export function listPrincipalRows(
  db: Db,
  filter: { kind?: string; organisationId?: string },
): Promise<PrincipalRow[]> {
  let query = db.selectFrom('rights_principals').selectAll();
  if (filter.kind) query = query.where('kind', '=', filter.kind);
  if (filter.organisationId) query = query.where('organisation_id', '=', filter.organisationId);
  return query.orderBy('id').execute();
}

/** Certificate registrations (active and removed) of the given principals. */
export async function certificatesOf(db: Db, principalIds: string[]): Promise<CertificateRow[]> {
  if (principalIds.length === 0) return [];
  return db
    .selectFrom('rights_certificates')
    .selectAll()
    .where('principal_id', 'in', principalIds)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

// TODO(rights-issuer-match): issuers are compared as exact RFC 4514 text, not under the RFC 5280
// 7.1 rules of `PrincipalDirectory`; registering a certificate by its PEM avoids the difference.
/** The active registration of a certificate, by issuer and serial number. */
export function findCertificate(
  db: Db,
  issuer: string,
  serialNumber: string,
): Promise<CertificateRow | undefined> {
  return db
    .selectFrom('rights_certificates')
    .selectAll()
    .where('issuer', '=', issuer)
    .where('serial_number', '=', serialNumber)
    .where('status', '=', 'active')
    .executeTakeFirst();
}

/** The organisation (not revoked) holding an organisation identifier. */
export function findByOrganizationIdentifier(
  db: Db,
  identifier: string,
): Promise<PrincipalRow | undefined> {
  return db
    .selectFrom('rights_principals')
    .selectAll()
    .where('organization_identifier', '=', identifier)
    .where('status', '!=', 'revoked')
    .executeTakeFirst();
}

/** The users (any status) of an organisation registered with this official id. */
export function findOfficials(
  db: Db,
  organisationId: string,
  officialId: string,
): Promise<PrincipalRow[]> {
  return db
    .selectFrom('rights_principals')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('official_id', '=', officialId)
    .where('kind', '=', 'user')
    .execute();
}

/** Ids of the active roles actively assigned to any of `memberIds`. */
export async function activeRolesOf(db: Db, memberIds: string[]): Promise<string[]> {
  if (memberIds.length === 0) return [];
  const rows = await db
    .selectFrom('rights_assignments as a')
    .innerJoin('rights_principals as r', 'r.id', 'a.role_id')
    .select('a.role_id')
    .where('a.member_id', 'in', memberIds)
    .where('a.status', '=', 'active')
    .where('r.status', '=', 'active')
    .execute();
  return [...new Set(rows.map((r) => r.role_id))];
}

/** Every right (in any status) of the given holders for one action. */
export async function grantsFor(db: Db, holderIds: string[], action: string): Promise<GrantRow[]> {
  if (holderIds.length === 0) return [];
  return db
    .selectFrom('rights_grants')
    .selectAll()
    .where('principal_id', 'in', holderIds)
    .where('action', '=', action)
    .orderBy('id')
    .execute();
}

/** One right row by id. */
export function findGrant(db: Db, id: string): Promise<GrantRow | undefined> {
  return db.selectFrom('rights_grants').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Right rows, optionally of one holder or action, ordered by id. */
export function listGrantRows(
  db: Db,
  filter: { principalId?: string; action?: string },
): Promise<GrantRow[]> {
  let query = db.selectFrom('rights_grants').selectAll();
  if (filter.principalId) query = query.where('principal_id', '=', filter.principalId);
  if (filter.action) query = query.where('action', '=', filter.action);
  return query.orderBy('id').execute();
}

/** One role assignment row by id. */
export function findAssignment(db: Db, id: string): Promise<AssignmentRow | undefined> {
  return db.selectFrom('rights_assignments').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Role assignment rows, optionally of one role or member, ordered by id. */
export function listAssignmentRows(
  db: Db,
  filter: { roleId?: string; memberId?: string },
): Promise<AssignmentRow[]> {
  let query = db.selectFrom('rights_assignments').selectAll();
  if (filter.roleId) query = query.where('role_id', '=', filter.roleId);
  if (filter.memberId) query = query.where('member_id', '=', filter.memberId);
  return query.orderBy('id').execute();
}

/** The changes of one entity, oldest first. */
export function historyRows(db: Db, entityId: string): Promise<ChangeRow[]> {
  return db
    .selectFrom('rights_changes')
    .selectAll()
    .where('entity_id', '=', entityId)
    .orderBy('generation')
    .execute();
}

/** Changes after a generation, oldest first, at most `limit`. */
export function changeRows(db: Db, after: number, limit: number): Promise<ChangeRow[]> {
  return db
    .selectFrom('rights_changes')
    .selectAll()
    .where('generation', '>', after)
    .orderBy('generation')
    .limit(limit)
    .execute();
}
