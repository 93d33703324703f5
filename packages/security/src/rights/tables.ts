// The tables of the rights registry, as Kysely sees them (namespace `security-rights`).

/** The single row counting changes; every change transaction increments it first. */
export interface GenerationRow {
  id: number;
  generation: number;
}

/** The current state of a principal. */
export interface PrincipalRow {
  id: string;
  kind: string;
  name: string;
  organisation_id: string | null;
  organization_identifier: string | null;
  official_id: string | null;
  status: string;
  version: number;
  created_at: number;
  updated_at: number;
}

/** A certificate registered by issuer and serial for a principal. */
export interface CertificateRow {
  id: string;
  principal_id: string;
  issuer: string;
  serial_number: string;
  /** `active` or `removed`. */
  status: string;
  created_at: number;
  updated_at: number;
}

/** The current state of a role assignment. */
export interface AssignmentRow {
  id: string;
  role_id: string;
  member_id: string;
  status: string;
  version: number;
  created_at: number;
  updated_at: number;
}

/** The current state of a right. */
export interface GrantRow {
  id: string;
  principal_id: string;
  action: string;
  source: string;
  /** JSON array of purpose codes. */
  purposes: string;
  /** JSON array of field names, or null for every field. */
  fields: string | null;
  valid_from: number;
  valid_until: number | null;
  status: string;
  version: number;
  created_at: number;
  updated_at: number;
}

/** One change, append-only: the history of every entity. */
export interface ChangeRow {
  generation: number;
  at: number;
  change: string;
  entity_kind: string;
  entity_id: string;
  version: number;
  actor_principal: string;
  actor_official: string | null;
  reason: string;
  /** JSON of the entity after the change. */
  state: string;
}

/** The rights database. */
export interface RightsDb {
  rights_generation: GenerationRow;
  rights_principals: PrincipalRow;
  rights_certificates: CertificateRow;
  rights_assignments: AssignmentRow;
  rights_grants: GrantRow;
  rights_changes: ChangeRow;
}
