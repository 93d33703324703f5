// The trail's tables (typed for Kysely) and their numbered migrations in namespace
// `security-trail`.

import { sql, type Kysely } from 'kysely';
import type { Migration, MigrationSet } from '@interop-blocks/core';
import type { HashedColumns } from './canonical.js';

/** One record as stored: the hashed columns plus the ciphertexts (purgeable). */
export interface RecordTable extends HashedColumns {
  subject_cipher: Uint8Array | null;
  payload_cipher: Uint8Array | null;
}

/** The head of each chain; its row is the lock that serialises appends across processes. */
export interface HeadTable {
  name: string;
  seq: number;
  hash: string;
  updated_at: number;
  checkpoint_seq: number;
  checkpoint_time: number;
}

/** A signed chain head. */
export interface CheckpointTable {
  trail: string;
  seq: number;
  hash: string;
  time: number;
  algorithm: string;
  /** Base64. */
  signature: string;
  /** SHA-256 fingerprint (hex) of the signer's leaf certificate. */
  signer: string;
}

/** Certificate chains of the signers, by leaf fingerprint. */
export interface SignerTable {
  fingerprint: string;
  chain_pem: string;
  added_at: number;
}

/** Data keys, one per trail and period, wrapped under a master key; `wrapped` null once purged. */
export interface KeyTable {
  trail: string;
  key_id: string;
  master_key_id: string;
  wrapped: Uint8Array | null;
  period_end: number;
  created_at: number;
  purged_at: number | null;
}

/** The trail's database, for Kysely. */
export interface TrailDb {
  trail_records: RecordTable;
  trail_heads: HeadTable;
  trail_checkpoints: CheckpointTable;
  trail_signers: SignerTable;
  trail_keys: KeyTable;
}

const createTables: Migration = {
  version: 1,
  name: 'create_trail_tables',
  async up(db: Kysely<unknown>, { backend }) {
    const blob = backend === 'postgres' ? sql`bytea` : sql`blob`;
    const text = [
      'official',
      'source',
      'subject_scheme',
      'hmac_key_id',
      'subject_hmac',
      'data_key_id',
      'subject_digest',
      'purpose',
      'legal_basis',
      'case_ref',
      'decision',
      'reason_code',
      'status',
      'request_id',
      'request_hash',
      'answer_hash',
      'details',
      'payload_digest',
    ];

    let records = db.schema
      .createTable('trail_records')
      .addColumn('trail', 'text', (c) => c.notNull())
      .addColumn('seq', 'bigint', (c) => c.notNull())
      .addColumn('format', 'integer', (c) => c.notNull())
      .addColumn('time', 'bigint', (c) => c.notNull())
      .addColumn('prev_hash', 'text', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('principal', 'text', (c) => c.notNull());
    for (const column of text) records = records.addColumn(column, 'text');
    await records
      .addColumn('subject_cipher', blob)
      .addColumn('payload_cipher', blob)
      .addPrimaryKeyConstraint('trail_records_pk', ['trail', 'seq'])
      .execute();

    const indexes: [string, string][] = [
      ['trail_records_subject', 'subject_hmac'],
      ['trail_records_principal', 'principal'],
      ['trail_records_case', 'case_ref'],
      ['trail_records_time', 'time'],
    ];
    for (const [name, column] of indexes) {
      await db.schema
        .createIndex(name)
        .on('trail_records')
        .columns(['trail', column, 'seq'])
        .execute();
    }

    await db.schema
      .createTable('trail_heads')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('seq', 'bigint', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addColumn('checkpoint_seq', 'bigint', (c) => c.notNull())
      .addColumn('checkpoint_time', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('trail_checkpoints')
      .addColumn('trail', 'text', (c) => c.notNull())
      .addColumn('seq', 'bigint', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .addColumn('time', 'bigint', (c) => c.notNull())
      .addColumn('algorithm', 'text', (c) => c.notNull())
      .addColumn('signature', 'text', (c) => c.notNull())
      .addColumn('signer', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('trail_checkpoints_pk', ['trail', 'seq'])
      .execute();

    await db.schema
      .createTable('trail_signers')
      .addColumn('fingerprint', 'text', (c) => c.primaryKey())
      .addColumn('chain_pem', 'text', (c) => c.notNull())
      .addColumn('added_at', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('trail_keys')
      .addColumn('trail', 'text', (c) => c.notNull())
      .addColumn('key_id', 'text', (c) => c.notNull())
      .addColumn('master_key_id', 'text', (c) => c.notNull())
      .addColumn('wrapped', blob)
      .addColumn('period_end', 'bigint', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('purged_at', 'bigint')
      .addPrimaryKeyConstraint('trail_keys_pk', ['trail', 'key_id'])
      .execute();
  },
};

/** The migrations of the trail; apply with `store.migrate(TRAIL_MIGRATIONS)`. */
export const TRAIL_MIGRATIONS: MigrationSet = {
  namespace: 'security-trail',
  migrations: [createTables],
};

/** The columns the record hash covers: verification never reads ciphertexts. */
export const HASHED_COLUMN_NAMES = [
  'trail',
  'seq',
  'format',
  'time',
  'prev_hash',
  'hash',
  'action',
  'principal',
  'official',
  'source',
  'subject_scheme',
  'hmac_key_id',
  'subject_hmac',
  'data_key_id',
  'subject_digest',
  'purpose',
  'legal_basis',
  'case_ref',
  'decision',
  'reason_code',
  'status',
  'request_id',
  'request_hash',
  'answer_hash',
  'details',
  'payload_digest',
] as const satisfies readonly (keyof HashedColumns)[];
