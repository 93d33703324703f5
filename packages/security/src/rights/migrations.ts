// Numbered migrations of the rights registry (namespace `security-rights`), on both backends.

import type { Kysely } from 'kysely';
import type { MigrationSet } from '@interop-blocks/core';

const principalRef = 'rights_principals.id';

/** The migrations of the rights registry; `openRights` applies them. */
export const RIGHTS_MIGRATIONS: MigrationSet = {
  namespace: 'security-rights',
  migrations: [
    {
      version: 1,
      name: 'create_rights_registry',
      up: async (db: Kysely<unknown>) => {
        await db.schema
          .createTable('rights_generation')
          .addColumn('id', 'integer', (c) => c.primaryKey())
          .addColumn('generation', 'bigint', (c) => c.notNull())
          .execute();
        await db
          .insertInto('rights_generation' as never)
          .values({ id: 1, generation: 0 } as never)
          .execute();

        await db.schema
          .createTable('rights_principals')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('organisation_id', 'text', (c) => c.references(principalRef))
          .addColumn('organization_identifier', 'text')
          .addColumn('official_id', 'text')
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('version', 'integer', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('rights_principals_org_official')
          .on('rights_principals')
          .columns(['organisation_id', 'official_id'])
          .execute();
        await db.schema
          .createIndex('rights_principals_org_identifier')
          .on('rights_principals')
          .column('organization_identifier')
          .execute();

        await db.schema
          .createTable('rights_certificates')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('principal_id', 'text', (c) => c.notNull().references(principalRef))
          .addColumn('issuer', 'text', (c) => c.notNull())
          .addColumn('serial_number', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('rights_certificates_issuer_serial')
          .on('rights_certificates')
          .columns(['issuer', 'serial_number'])
          .execute();

        await db.schema
          .createTable('rights_assignments')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('role_id', 'text', (c) => c.notNull().references(principalRef))
          .addColumn('member_id', 'text', (c) => c.notNull().references(principalRef))
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('version', 'integer', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('rights_assignments_member')
          .on('rights_assignments')
          .column('member_id')
          .execute();

        await db.schema
          .createTable('rights_grants')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('principal_id', 'text', (c) => c.notNull().references(principalRef))
          .addColumn('action', 'text', (c) => c.notNull())
          .addColumn('source', 'text', (c) => c.notNull())
          .addColumn('purposes', 'text', (c) => c.notNull())
          .addColumn('fields', 'text')
          .addColumn('valid_from', 'bigint', (c) => c.notNull())
          .addColumn('valid_until', 'bigint')
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('version', 'integer', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('rights_grants_principal_action')
          .on('rights_grants')
          .columns(['principal_id', 'action'])
          .execute();

        await db.schema
          .createTable('rights_changes')
          .addColumn('generation', 'bigint', (c) => c.primaryKey())
          .addColumn('at', 'bigint', (c) => c.notNull())
          .addColumn('change', 'text', (c) => c.notNull())
          .addColumn('entity_kind', 'text', (c) => c.notNull())
          .addColumn('entity_id', 'text', (c) => c.notNull())
          .addColumn('version', 'integer', (c) => c.notNull())
          .addColumn('actor_principal', 'text', (c) => c.notNull())
          .addColumn('actor_official', 'text')
          .addColumn('reason', 'text', (c) => c.notNull())
          .addColumn('state', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('rights_changes_entity')
          .on('rights_changes')
          .columns(['entity_id', 'generation'])
          .execute();
      },
    },
  ],
};
