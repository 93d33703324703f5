// The export bundle format (NDJSON, version 1): one header line, checkpoints, records, an end line.

import type { HashedColumns } from './canonical.js';
import type { CheckpointTable } from './schema.js';

/** The `format` of the header line. */
export const BUNDLE_FORMAT = 'interop-trail-bundle';
/** The bundle version this code writes and reads. */
export const BUNDLE_VERSION = 1;

/** Line 1 of a bundle. */
export interface BundleHeader {
  format: typeof BUNDLE_FORMAT;
  version: number;
  /** The record encoding (see `recordCanonical`). */
  recordFormat: number;
  trail: string;
  exportedAt: string;
  /** The record before the first one exported; hash `0...0` when the bundle starts at seq 1. */
  anchor: { seq: number; hash: string | null };
  /** The head of the chain when exported. */
  head: { seq: number; hash: string };
  /** Certificate chains (PEM, leaf first) of the checkpoint signers, by leaf fingerprint. */
  signers: { fingerprint: string; chainPem: string }[];
}

/** A checkpoint line. */
export type BundleCheckpoint = { type: 'checkpoint' } & Omit<CheckpointTable, 'trail'>;

/** A record line: exactly the hashed columns, no ciphertext. */
export type BundleRecord = { type: 'record' } & HashedColumns;

/** The last line; a bundle without it was cut short. */
export interface BundleEnd {
  type: 'end';
  records: number;
  checkpoints: number;
}
