// The public types of principals and rights: registry records, change inputs, decisions.

import type { RightsRefusalCode } from './rights-error-codes.js';

/** What a principal is. Organisations own applications, users (officials) and roles. */
export type PrincipalKind = 'organisation' | 'application' | 'user' | 'role';

/** The actions a right grants. */
export type RightAction = 'query' | 'answer' | 'administer';

/** Every action, for validation. */
export const RIGHT_ACTIONS: readonly RightAction[] = ['query', 'answer', 'administer'];

/** The life of a principal or a right: suspended can be resumed, revoked is final. */
export type RightsStatus = 'active' | 'suspended' | 'revoked';

/** The pseudo-source whose `administer` right protects the administration API. */
export const RIGHTS_ADMIN_SOURCE = 'security.rights';

/**
 * A certificate registered in advance for a principal, named by issuer and serial number
 * (never by guessing from the subject name).
 */
export interface CertificateRegistration {
  /** The issuer's distinguished name in RFC 4514 form, as `Certificate.issuer.text` gives it. */
  issuer: string;
  /** The serial number as hex; kept lower-case without separators or leading zeros. */
  serialNumber: string;
}

/** A certificate to register: by issuer and serial number, or the certificate itself (PEM). */
export type CertificateRegistrationInput = CertificateRegistration | { certificatePem: string };

/** A principal as the registry holds it now. Times are ISO 8601 strings. */
export interface RegisteredPrincipal {
  id: string;
  kind: PrincipalKind;
  name: string;
  /** The owning organisation; `null` for organisations and for roles defined for everyone. */
  organisationId: string | null;
  /** Organisations only: the ETSI EN 319 412-1 5.1.4 identifier, e.g. `VATSI-12345678`. */
  organizationIdentifier: string | null;
  /** Users only: the official's id as queries carry it (`official`); unique per organisation. */
  officialId: string | null;
  /** Certificates registered by issuer and serial number (active registrations only). */
  certificates: CertificateRegistration[];
  status: RightsStatus;
  /** 1 at registration, +1 at each change. */
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** A right: a principal may perform an action on matching sources for some purposes. */
export interface Right {
  id: string;
  /** The organisation, application, user or role holding the right. */
  principalId: string;
  action: RightAction;
  /** A source id or pattern, see `parseSourcePattern`. */
  source: string;
  /** Purpose codes the right covers. */
  purposes: string[];
  /** Fields the purposes may see; `'*'` for every field. */
  fields: string[] | '*';
  /** Start of validity (inclusive). */
  validFrom: string;
  /** End of validity (exclusive); `null` for open-ended. */
  validUntil: string | null;
  status: RightsStatus;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** A role given to an organisation, application or user. */
export interface RoleAssignment {
  id: string;
  roleId: string;
  memberId: string;
  /** `active`, or `revoked` once taken away. */
  status: 'active' | 'revoked';
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** What kind of thing a change touched. */
export type RightsEntityKind = 'principal' | 'right' | 'assignment';

/** One change in the registry's history: who did what, when and why, and the state after it. */
export interface RightsChange {
  /** The registry generation this change produced; orders every change. */
  generation: number;
  at: string;
  /** e.g. `principal.register`, `right.grant`, `right.suspend`, `assignment.revoke`. */
  change: string;
  entityKind: RightsEntityKind;
  entityId: string;
  /** The entity's version after the change. */
  version: number;
  /** Who made the change. */
  by: ChangeActor;
  reason: string;
  /** The entity as it was after the change. */
  state: RegisteredPrincipal | Right | RoleAssignment;
}

/** Who makes a change: the principal and, where a person acted, the official. */
export interface ChangeActor {
  principal: string;
  official?: string;
}

/** Attached to every change: who and why. */
export interface ChangeContext {
  by: ChangeActor;
  /** Why the change is made; required, kept in the history and the trail. */
  reason: string;
  signal?: AbortSignal;
}

/** A request to authorize: the five facts of a query and what is asked. */
export interface AuthorizeRequest {
  /** The acting principal's id (organisation, application or user). */
  principal: string;
  action: RightAction;
  /** The source id, e.g. `bank.nlb.balances`. */
  source: string;
  purpose: string;
  legalBasis: string;
  case: string;
  /** The official acting, as named in the query. */
  official: string;
  /** Decide at this time instead of now (ISO string, Date or epoch ms). */
  time?: Date | string | number;
}

/** The code of an allowed decision. */
export const RIGHTS_ALLOWED = 'RIGHTS_ALLOWED';

/** Why a decision went the way it did. */
export interface DecisionReason {
  code: typeof RIGHTS_ALLOWED | RightsRefusalCode;
  message: string;
}

/** The answer of `authorize()`: a value, never an exception. */
export interface AuthorizationDecision {
  allowed: boolean;
  reason: DecisionReason;
  /** Fields the purpose may see: union over the allowing rights; `[]` when refused. */
  fields: string[] | '*';
  /** The rights that allowed; when refused, the rights that matched but did not apply. */
  rightIds: string[];
}
