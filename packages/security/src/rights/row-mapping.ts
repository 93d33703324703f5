// Turns registry rows into the public records (ISO times, parsed JSON columns).

import type { AssignmentRow, CertificateRow, GrantRow, PrincipalRow } from './tables.js';
import type {
  PrincipalKind,
  RegisteredPrincipal,
  Right,
  RightAction,
  RightsStatus,
  RoleAssignment,
} from './types.js';

const iso = (ms: number): string => new Date(Number(ms)).toISOString();

/** The public record of a principal row and its active certificate registrations. */
export function toPrincipal(
  row: PrincipalRow,
  certificates: CertificateRow[],
): RegisteredPrincipal {
  return {
    id: row.id,
    kind: row.kind as PrincipalKind,
    name: row.name,
    organisationId: row.organisation_id,
    organizationIdentifier: row.organization_identifier,
    officialId: row.official_id,
    certificates: certificates
      .filter((c) => c.status === 'active')
      .map((c) => ({ issuer: c.issuer, serialNumber: c.serial_number })),
    status: row.status as RightsStatus,
    version: Number(row.version),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

/** The public record of a right. */
export function toRight(row: GrantRow): Right {
  return {
    id: row.id,
    principalId: row.principal_id,
    action: row.action as RightAction,
    source: row.source,
    purposes: JSON.parse(row.purposes) as string[],
    fields: row.fields === null ? '*' : (JSON.parse(row.fields) as string[]),
    validFrom: iso(row.valid_from),
    validUntil: row.valid_until === null ? null : iso(row.valid_until),
    status: row.status as RightsStatus,
    version: Number(row.version),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

/** The public record of a role assignment. */
export function toAssignment(row: AssignmentRow): RoleAssignment {
  return {
    id: row.id,
    roleId: row.role_id,
    memberId: row.member_id,
    status: row.status as 'active' | 'revoked',
    version: Number(row.version),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}
