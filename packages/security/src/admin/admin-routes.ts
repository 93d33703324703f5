// The admin HTTP routes: one line per operation of the administration API.

import type {
  CertificateRegistrationInput,
  ChangeContext,
  PrincipalKind,
  RightAction,
} from '../rights/types.js';
import { bodies, idParams, queries } from './admin-schemas.js';
import type { JsonSchema } from './json-types.js';
import type { RightsAdmin } from './rights-admin.js';
import type {
  ApplicationInput,
  OrganisationInput,
  RoleInput,
  UserInput,
} from './register-principals.js';
import type { AssignRoleInput, GrantInput } from './grant-rights.js';

/** What a route handler receives: the validated parts and the change context. */
export interface RouteInput {
  body: Record<string, unknown>;
  params: { id: string };
  query: Record<string, unknown>;
  /** Who acts and, for changes, why (the body's `reason`). */
  context: ChangeContext;
}

/** One route of the admin API. */
export interface AdminRoute {
  method: 'GET' | 'POST';
  url: string;
  body?: JsonSchema;
  params?: JsonSchema;
  query?: JsonSchema;
  /** Status of a success: 201 for registrations and grants, else 200. */
  status: 200 | 201;
  handle(admin: RightsAdmin, input: RouteInput): Promise<unknown>;
}

const withoutReason = <T>(body: Record<string, unknown>): T => {
  const { reason: _reason, ...rest } = body;
  return rest as T;
};

const certificateOf = (body: Record<string, unknown>): CertificateRegistrationInput =>
  withoutReason<CertificateRegistrationInput>(body);

const statusRoutes = (
  base: string,
  change: (
    admin: RightsAdmin,
    how: 'suspend' | 'resume' | 'revoke',
    id: string,
    c: ChangeContext,
  ) => Promise<unknown>,
): AdminRoute[] =>
  (['suspend', 'resume', 'revoke'] as const).map((how) => ({
    method: 'POST',
    url: `${base}/:id/${how}`,
    body: bodies.reasonOnly,
    params: idParams,
    status: 200,
    handle: (admin, i) => change(admin, how, i.params.id, i.context),
  }));

const historyRoute = (base: string): AdminRoute => ({
  method: 'GET',
  url: `${base}/:id/history`,
  params: idParams,
  status: 200,
  handle: async (admin, i) => ({ changes: await admin.history(i.params.id) }),
});

/** Every route of the admin API, relative to the plugin's prefix. */
export const adminRoutes: readonly AdminRoute[] = [
  {
    method: 'POST',
    url: '/organisations',
    body: bodies.organisation,
    status: 201,
    handle: (admin, i) =>
      admin.registerOrganisation(withoutReason<OrganisationInput>(i.body), i.context),
  },
  {
    method: 'POST',
    url: '/applications',
    body: bodies.application,
    status: 201,
    handle: (admin, i) =>
      admin.registerApplication(withoutReason<ApplicationInput>(i.body), i.context),
  },
  {
    method: 'POST',
    url: '/users',
    body: bodies.user,
    status: 201,
    handle: (admin, i) => admin.registerUser(withoutReason<UserInput>(i.body), i.context),
  },
  {
    method: 'POST',
    url: '/roles',
    body: bodies.role,
    status: 201,
    handle: (admin, i) => admin.registerRole(withoutReason<RoleInput>(i.body), i.context),
  },
  {
    method: 'GET',
    url: '/principals',
    query: queries.principals,
    status: 200,
    handle: async (admin, i) => ({
      principals: await admin.listPrincipals({
        kind: i.query.kind as PrincipalKind | undefined,
        organisationId: i.query.organisationId as string | undefined,
      }),
    }),
  },
  {
    method: 'GET',
    url: '/principals/:id',
    params: idParams,
    status: 200,
    handle: (admin, i) => admin.getPrincipal(i.params.id),
  },
  historyRoute('/principals'),
  ...statusRoutes('/principals', (admin, how, id, c) =>
    how === 'suspend'
      ? admin.suspendPrincipal(id, c)
      : how === 'resume'
        ? admin.resumePrincipal(id, c)
        : admin.revokePrincipal(id, c),
  ),
  {
    method: 'POST',
    url: '/principals/:id/certificates',
    body: bodies.certificate,
    params: idParams,
    status: 200,
    handle: (admin, i) => admin.addCertificate(i.params.id, certificateOf(i.body), i.context),
  },
  {
    method: 'POST',
    url: '/principals/:id/certificates/remove',
    body: bodies.certificate,
    params: idParams,
    status: 200,
    handle: (admin, i) => admin.removeCertificate(i.params.id, certificateOf(i.body), i.context),
  },
  {
    method: 'POST',
    url: '/role-assignments',
    body: bodies.assignment,
    status: 201,
    handle: (admin, i) => admin.assignRole(withoutReason<AssignRoleInput>(i.body), i.context),
  },
  {
    method: 'GET',
    url: '/role-assignments',
    query: queries.assignments,
    status: 200,
    handle: async (admin, i) => ({
      assignments: await admin.listRoleAssignments({
        roleId: i.query.roleId as string | undefined,
        memberId: i.query.memberId as string | undefined,
      }),
    }),
  },
  {
    method: 'POST',
    url: '/role-assignments/:id/revoke',
    body: bodies.reasonOnly,
    params: idParams,
    status: 200,
    handle: (admin, i) => admin.revokeRoleAssignment(i.params.id, i.context),
  },
  historyRoute('/role-assignments'),
  {
    method: 'POST',
    url: '/rights',
    body: bodies.right,
    status: 201,
    handle: (admin, i) => admin.grant(withoutReason<GrantInput>(i.body), i.context),
  },
  {
    method: 'GET',
    url: '/rights',
    query: queries.rights,
    status: 200,
    handle: async (admin, i) => ({
      rights: await admin.listRights({
        principalId: i.query.principalId as string | undefined,
        action: i.query.action as RightAction | undefined,
      }),
    }),
  },
  {
    method: 'GET',
    url: '/rights/:id',
    params: idParams,
    status: 200,
    handle: (admin, i) => admin.getRight(i.params.id),
  },
  historyRoute('/rights'),
  ...statusRoutes('/rights', (admin, how, id, c) =>
    how === 'suspend'
      ? admin.suspendRight(id, c)
      : how === 'resume'
        ? admin.resumeRight(id, c)
        : admin.revokeRight(id, c),
  ),
  {
    method: 'GET',
    url: '/changes',
    query: queries.changes,
    status: 200,
    handle: async (admin, i) => ({
      changes: await admin.changes({
        after: i.query.after as number | undefined,
        limit: i.query.limit as number | undefined,
      }),
    }),
  },
];
