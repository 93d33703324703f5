// Principals: the registered organisations, persons and applications certificates map to.

import { SecurityError } from '../errors.js';

/** The kinds of principal. */
export const PRINCIPAL_KINDS = ['organisation', 'person', 'application'] as const;

/** A registered party: who a certificate stands for once it is validated. */
export interface Principal {
  readonly kind: (typeof PRINCIPAL_KINDS)[number];
  /** Stable id in the caller's registry, e.g. `org:furs` or a UUID. */
  readonly id: string;
  /** Display name, for people and the trail. */
  readonly name: string;
  /** The organisation a person or application acts for. */
  readonly organisationId?: string;
}

/** How a certificate was mapped to its principal. */
export interface PrincipalMatch {
  readonly principal: Principal;
  /**
   * `issuer-serial`: the certificate itself was registered; `organisation-identifier`: its subject.
   */
  readonly matchedBy: 'issuer-serial' | 'organisation-identifier';
}

/**
 * Checks and freezes a principal.
 * @throws SecurityError `QC_PRINCIPAL_INVALID` (unknown kind, empty or over-long id or name).
 */
export function checkPrincipal(principal: Principal): Principal {
  const ok = (value: unknown) =>
    typeof value === 'string' && value.trim() !== '' && value.length <= 256;
  if (
    typeof principal !== 'object' ||
    principal === null ||
    !(PRINCIPAL_KINDS as readonly string[]).includes(principal.kind) ||
    !ok(principal.id) ||
    !ok(principal.name) ||
    (principal.organisationId !== undefined && !ok(principal.organisationId))
  ) {
    throw new SecurityError(
      'QC_PRINCIPAL_INVALID',
      'A principal needs a known kind, an id and a name.',
      {
        context: { kind: typeof principal?.kind === 'string' ? principal.kind : undefined },
      },
    );
  }
  return Object.freeze({
    kind: principal.kind,
    id: principal.id,
    name: principal.name,
    ...(principal.organisationId !== undefined ? { organisationId: principal.organisationId } : {}),
  });
}

/**
 * The registered organisation a principal is or acts for: itself, or the organisation of a person
 * or application.
 */
export function organisationOf(principal: Principal): string {
  return principal.kind === 'organisation'
    ? principal.id
    : (principal.organisationId ?? principal.id);
}

/** True when two principals are the same registration. */
export function samePrincipal(a: Principal, b: Principal): boolean {
  return (
    a.kind === b.kind && a.id === b.id && a.name === b.name && a.organisationId === b.organisationId
  );
}
