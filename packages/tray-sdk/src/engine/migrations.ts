// The Tray's tables, as numbered migrations in namespace `tray`.

import type { Migration, MigrationSet } from '@interop-blocks/core';

const createTables: Migration = {
  version: 1,
  name: 'create_cases_steps_enquiries',
  async up(db) {
    await db.schema
      .createTable('tray_case')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('purpose', 'text', (c) => c.notNull())
      .addColumn('legal_basis', 'text', (c) => c.notNull())
      .addColumn('case_ref', 'text', (c) => c.notNull())
      .addColumn('organisation', 'text', (c) => c.notNull())
      .addColumn('official', 'text', (c) => c.notNull())
      .addColumn('applicant_scheme', 'text', (c) => c.notNull())
      .addColumn('applicant_id', 'text', (c) => c.notNull())
      .addColumn('application_date', 'text', (c) => c.notNull())
      .addColumn('deadline', 'bigint', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('finished_at', 'bigint')
      .addColumn('collected_at', 'bigint')
      .execute();
    await db.schema.createIndex('tray_case_status').on('tray_case').column('status').execute();

    await db.schema
      .createTable('tray_step')
      .addColumn('case_id', 'text', (c) => c.notNull().references('tray_case.id'))
      .addColumn('step_id', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('reason_code', 'text')
      .addColumn('enquiries', 'integer', (c) => c.notNull())
      .addColumn('planned_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('tray_step_pk', ['case_id', 'step_id'])
      .execute();

    await db.schema
      .createTable('tray_enquiry')
      .addColumn('request_id', 'text', (c) => c.primaryKey())
      .addColumn('case_id', 'text', (c) => c.notNull().references('tray_case.id'))
      .addColumn('step_id', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('subject_scheme', 'text', (c) => c.notNull())
      .addColumn('subject_id', 'text', (c) => c.notNull())
      .addColumn('period_from', 'text')
      .addColumn('period_to', 'text')
      .addColumn('reference_date', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('next_at', 'bigint', (c) => c.notNull())
      .addColumn('lease_owner', 'text')
      .addColumn('lease_until', 'bigint')
      .addColumn('deadline', 'bigint', (c) => c.notNull())
      .addColumn('payload', 'text')
      .addColumn('data_version', 'text')
      .addColumn('evidence', 'text')
      .addColumn('reason_code', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('first_sent_at', 'bigint')
      .addColumn('finished_at', 'bigint')
      .addColumn('ms', 'bigint')
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('recorded_by', 'text')
      .addColumn('trailed', 'integer', (c) => c.notNull().defaultTo(0))
      .addUniqueConstraint('tray_enquiry_once', [
        'case_id',
        'step_id',
        'source',
        'subject_scheme',
        'subject_id',
      ])
      .execute();
    // The workers' query: due work of one source, oldest first.
    await db.schema
      .createIndex('tray_enquiry_due')
      .on('tray_enquiry')
      .columns(['source', 'status', 'next_at'])
      .execute();
    await db.schema.createIndex('tray_enquiry_case').on('tray_enquiry').column('case_id').execute();
    // Answers recorded but not yet trailed (a crash between the two).
    await db.schema
      .createIndex('tray_enquiry_untrailed')
      .on('tray_enquiry')
      .columns(['trailed', 'finished_at'])
      .execute();
  },
};

/** The migrations of the Tray's durable state; `openTray` applies them. */
export const TRAY_MIGRATIONS: MigrationSet = { namespace: 'tray', migrations: [createTables] };
