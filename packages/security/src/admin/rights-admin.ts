// The administration API of principals and rights: every change recorded with who, when and why.

import type { Rights } from '../rights/open-rights.js';
import {
  certificatesOf,
  changeRows,
  findGrant,
  historyRows,
  listAssignmentRows,
  listGrantRows,
  listPrincipalRows,
} from '../rights/read-registry.js';
import { rightsInternals, type RightsInternals } from '../rights/rights-internals.js';
import { toAssignment, toPrincipal, toRight } from '../rights/row-mapping.js';
import type { ChangeRow, RightsDb } from '../rights/tables.js';
import type {
  CertificateRegistrationInput,
  ChangeContext,
  PrincipalKind,
  RegisteredPrincipal,
  Right,
  RightAction,
  RightsChange,
  RightsEntityKind,
  RoleAssignment,
} from '../rights/types.js';
import { checkId, invalidInput } from '../rights/validate-input.js';
import { notFound } from './commit-change.js';
import {
  assignRole,
  changeRightStatus,
  grantRight,
  revokeAssignment,
  type AssignRoleInput,
  type GrantInput,
} from './grant-rights.js';
import {
  changeCertificate,
  changePrincipalStatus,
  load,
  registerPrincipal,
  type ApplicationInput,
  type OrganisationInput,
  type RoleInput,
  type UserInput,
} from './register-principals.js';

/**
 * Manages principals, roles and rights. Every change takes a {@link ChangeContext} (who and why),
 * is kept in the history with the state after it, and is trailed as an `administer` record.
 *
 * This library API trusts its caller (it is how the first administrator is set up); over HTTP,
 * `rightsAdminPlugin` first requires the `administer` right on `security.rights`.
 *
 * Errors of every change: `RIGHTS_INPUT_INVALID` (bad input, no actor or reason),
 * `RIGHTS_NOT_FOUND`, `RIGHTS_DUPLICATE`, `RIGHTS_TRANSITION_INVALID`, `RIGHTS_TRAIL_FAILED`.
 */
export interface RightsAdmin {
  /** Registers an organisation (by organisation identifier and/or certificates). */
  registerOrganisation(
    input: OrganisationInput,
    context: ChangeContext,
  ): Promise<RegisteredPrincipal>;
  /** Registers an application of an organisation. */
  registerApplication(
    input: ApplicationInput,
    context: ChangeContext,
  ): Promise<RegisteredPrincipal>;
  /** Registers a user (official) of an organisation. */
  registerUser(input: UserInput, context: ChangeContext): Promise<RegisteredPrincipal>;
  /** Registers a role. */
  registerRole(input: RoleInput, context: ChangeContext): Promise<RegisteredPrincipal>;
  /** Registers one more certificate (issuer + serial) of a principal. */
  addCertificate(
    principalId: string,
    certificate: CertificateRegistrationInput,
    context: ChangeContext,
  ): Promise<RegisteredPrincipal>;
  /** Ends a certificate registration. */
  removeCertificate(
    principalId: string,
    certificate: CertificateRegistrationInput,
    context: ChangeContext,
  ): Promise<RegisteredPrincipal>;
  /** Suspends an active principal (an organisation: with its applications and users). */
  suspendPrincipal(id: string, context: ChangeContext): Promise<RegisteredPrincipal>;
  /** Resumes a suspended principal. */
  resumePrincipal(id: string, context: ChangeContext): Promise<RegisteredPrincipal>;
  /** Revokes a principal for good. */
  revokePrincipal(id: string, context: ChangeContext): Promise<RegisteredPrincipal>;
  /** Gives a role to an organisation, application or user. */
  assignRole(input: AssignRoleInput, context: ChangeContext): Promise<RoleAssignment>;
  /** Takes a role away. */
  revokeRoleAssignment(id: string, context: ChangeContext): Promise<RoleAssignment>;
  /** Grants a right. */
  grant(input: GrantInput, context: ChangeContext): Promise<Right>;
  /** Suspends an active right. */
  suspendRight(id: string, context: ChangeContext): Promise<Right>;
  /** Resumes a suspended right. */
  resumeRight(id: string, context: ChangeContext): Promise<Right>;
  /** Revokes a right for good. */
  revokeRight(id: string, context: ChangeContext): Promise<Right>;

  /** One principal. @throws SecurityError `RIGHTS_NOT_FOUND`. */
  getPrincipal(id: string): Promise<RegisteredPrincipal>;
  /** Principals, optionally of one kind or organisation, by id. */
  listPrincipals(filter?: {
    kind?: PrincipalKind;
    organisationId?: string;
  }): Promise<RegisteredPrincipal[]>;
  /** One right. @throws SecurityError `RIGHTS_NOT_FOUND`. */
  getRight(id: string): Promise<Right>;
  /** Rights (any status), optionally of one holder or action, by id. */
  listRights(filter?: { principalId?: string; action?: RightAction }): Promise<Right[]>;
  /** Role assignments (any status), optionally of one role or member. */
  listRoleAssignments(filter?: { roleId?: string; memberId?: string }): Promise<RoleAssignment[]>;
  /** Every change of one principal, right or assignment, oldest first. */
  history(entityId: string): Promise<RightsChange[]>;
  /** Every change after generation `after` (default 0), oldest first, at most `limit` (100). */
  changes(options?: { after?: number; limit?: number }): Promise<RightsChange[]>;
}

/**
 * The administration API of a rights service.
 *
 * @param rights - the service `openRights` returned; its cached decisions follow every change.
 * @throws SecurityError `RIGHTS_INPUT_INVALID` when `rights` does not come from `openRights`.
 * @example
 * ```ts
 * const admin = createRightsAdmin(rights);
 * const by = { principal: 'ministry', official: 'admin-1' };
 * await admin.registerOrganisation(
 *   { id: 'csd-ljubljana', name: 'CSD Ljubljana', organizationIdentifier: 'VATSI-12345678' },
 *   { by, reason: 'onboarding ticket 17' },
 * );
 * await admin.grant(
 *   { principalId: 'csd-ljubljana', action: 'query', source: 'bank.*', purposes: ['rent'] },
 *   { by, reason: 'ZUPJS art. 5' },
 * );
 * ```
 */
export function createRightsAdmin(rights: Rights): RightsAdmin {
  const internals = rightsInternals(rights);
  const db = () => internals.store.db<RightsDb>();

  return {
    registerOrganisation: (input, c) => registerPrincipal(internals, 'organisation', input, c),
    registerApplication: (input, c) => registerPrincipal(internals, 'application', input, c),
    registerUser: (input, c) => registerPrincipal(internals, 'user', input, c),
    registerRole: (input, c) => registerPrincipal(internals, 'role', input, c),
    addCertificate: (id, cert, c) => changeCertificate(internals, id, cert, 'add', c),
    removeCertificate: (id, cert, c) => changeCertificate(internals, id, cert, 'remove', c),
    suspendPrincipal: (id, c) => changePrincipalStatus(internals, id, 'suspend', c),
    resumePrincipal: (id, c) => changePrincipalStatus(internals, id, 'resume', c),
    revokePrincipal: (id, c) => changePrincipalStatus(internals, id, 'revoke', c),
    assignRole: (input, c) => assignRole(internals, input, c),
    revokeRoleAssignment: (id, c) => revokeAssignment(internals, id, c),
    grant: (input, c) => grantRight(internals, input, c),
    suspendRight: (id, c) => changeRightStatus(internals, id, 'suspend', c),
    resumeRight: (id, c) => changeRightStatus(internals, id, 'resume', c),
    revokeRight: (id, c) => changeRightStatus(internals, id, 'revoke', c),

    getPrincipal: async (id) => load(db(), checkId(id, 'id')),
    listPrincipals: (filter = {}) => listPrincipals(internals, filter),
    getRight: async (id) => {
      const row = await findGrant(db(), checkId(id, 'id'));
      if (!row) throw notFound('right', id);
      return toRight(row);
    },
    listRights: async (filter = {}) => (await listGrantRows(db(), filter)).map(toRight),
    listRoleAssignments: async (filter = {}) =>
      (await listAssignmentRows(db(), filter)).map(toAssignment),
    history: async (id) => (await historyRows(db(), checkId(id, 'id'))).map(toChange),
    changes: async (options = {}) => {
      const after = options.after ?? 0;
      const limit = options.limit ?? 100;
      if (!Number.isSafeInteger(after) || after < 0) throw invalidInput('after', 'after is >= 0.');
      if (!Number.isSafeInteger(limit) || limit < 1 || limit > 1000) {
        throw invalidInput('limit', 'limit is 1 to 1000.');
      }
      return (await changeRows(db(), after, limit)).map(toChange);
    },
  };
}

async function listPrincipals(
  internals: RightsInternals,
  filter: { kind?: PrincipalKind; organisationId?: string },
): Promise<RegisteredPrincipal[]> {
  const db = internals.store.db<RightsDb>();
  const rows = await listPrincipalRows(db, filter);
  const certificates = await certificatesOf(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((row) =>
    toPrincipal(
      row,
      certificates.filter((c) => c.principal_id === row.id),
    ),
  );
}

function toChange(row: ChangeRow): RightsChange {
  return {
    generation: Number(row.generation),
    at: new Date(Number(row.at)).toISOString(),
    change: row.change,
    entityKind: row.entity_kind as RightsEntityKind,
    entityId: row.entity_id,
    version: Number(row.version),
    by:
      row.actor_official === null
        ? { principal: row.actor_principal }
        : { principal: row.actor_principal, official: row.actor_official },
    reason: row.reason,
    state: JSON.parse(row.state) as RightsChange['state'],
  };
}
