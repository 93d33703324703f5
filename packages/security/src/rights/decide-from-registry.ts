// Loads what a decision needs from the registry: the principal, its organisation, the official,
// its roles and their rights; then decides.

import type { Kysely } from 'kysely';
import { evaluateRights, refused, whyNot, type TimedDecision } from './evaluate-rights.js';
import type { CheckedRequest } from './check-request.js';
import { activeRolesOf, findOfficials, findPrincipal, grantsFor } from './read-registry.js';
import type { GrantRow, PrincipalRow, RightsDb } from './tables.js';
import type { AuthorizationDecision } from './types.js';

const always = { from: Number.NEGATIVE_INFINITY, until: Number.POSITIVE_INFINITY };
const timeless = (decision: AuthorizationDecision): TimedDecision => ({ ...always, decision });

/**
 * Decides `request` on the registry's current state.
 *
 * 1. The principal is a registered organisation, application or user, active.
 * 2. Its organisation (itself, or the one owning it) is active.
 * 3. If the official is registered as a user of that organisation, that user is active (an
 *    unregistered official is the organisation's own business; it adds no rights either).
 * 4. The holders are the principal, its organisation and the active roles actively assigned to
 *    either; their rights for the action decide (see `evaluateRights`).
 */
export async function decideFromRegistry(
  db: Kysely<RightsDb>,
  request: CheckedRequest,
): Promise<TimedDecision> {
  const principal = await findPrincipal(db, request.principal);
  if (!principal || principal.kind === 'role') {
    return timeless(refused('RIGHTS_PRINCIPAL_UNKNOWN', 'The principal is not registered.', []));
  }
  if (principal.status === 'revoked') {
    return timeless(refused('RIGHTS_PRINCIPAL_REVOKED', 'The principal is revoked.', []));
  }
  if (principal.status === 'suspended') {
    return timeless(refused('RIGHTS_PRINCIPAL_SUSPENDED', 'The principal is suspended.', []));
  }

  const organisation = await organisationOf(db, principal);
  if (!organisation || organisation.status === 'revoked') {
    const message = "The principal's organisation is revoked.";
    return timeless(refused('RIGHTS_ORGANISATION_REVOKED', message, []));
  }
  if (organisation.status === 'suspended') {
    const message = "The principal's organisation is suspended.";
    return timeless(refused('RIGHTS_ORGANISATION_SUSPENDED', message, []));
  }

  const officials = await findOfficials(db, organisation.id, request.official);
  if (officials.length > 0 && !officials.some((o) => o.status === 'active')) {
    return officials.some((o) => o.status === 'suspended')
      ? timeless(refused('RIGHTS_OFFICIAL_SUSPENDED', 'The official is suspended.', []))
      : timeless(refused('RIGHTS_OFFICIAL_REVOKED', 'The official is revoked.', []));
  }

  const rows = await holderGrants(db, principal, organisation, request.action);
  return evaluateRights(rows, request.source, request.purpose, request.timeMs);
}

/** The rights for `action` of the holders: the principal, its organisation and their roles. */
export async function holderGrants(
  db: Kysely<RightsDb>,
  principal: PrincipalRow,
  organisation: PrincipalRow,
  action: string,
): Promise<GrantRow[]> {
  const members = [...new Set([principal.id, organisation.id])];
  const roles = await activeRolesOf(db, members);
  return grantsFor(db, [...members, ...roles], action);
}

/**
 * The rights a principal may use now for `action`: none when the principal or its organisation
 * is not active; otherwise the holders' rights that are active and valid at `timeMs`.
 */
export async function usableGrants(
  db: Kysely<RightsDb>,
  principalId: string,
  action: string,
  timeMs: number,
): Promise<GrantRow[]> {
  const principal = await findPrincipal(db, principalId);
  if (!principal || principal.kind === 'role' || principal.status !== 'active') return [];
  const organisation = await organisationOf(db, principal);
  if (!organisation || organisation.status !== 'active') return [];
  const rows = await holderGrants(db, principal, organisation, action);
  return rows.filter((row) => whyNot(row, timeMs) === undefined);
}

async function organisationOf(
  db: Kysely<RightsDb>,
  principal: PrincipalRow,
): Promise<PrincipalRow | undefined> {
  if (principal.kind === 'organisation') return principal;
  if (principal.organisation_id === null) return undefined;
  return findPrincipal(db, principal.organisation_id);
}
