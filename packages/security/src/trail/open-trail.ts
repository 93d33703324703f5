// openTrail(): the tamper-evident trail of one chain, with batched appends and signed checkpoints.

import { X509Certificate } from 'node:crypto';
import { diagnosticsChannelFor, systemClock, type Clock, type Store } from '@interop-blocks/core';
import { SecurityError } from '../errors.js';
import { AppendQueue } from './append-queue.js';
import { GENESIS_HASH, checkpointBytes } from './canonical.js';
import { registerSigner, writeCheckpoint } from './checkpoints.js';
import { DataKeys } from './data-keys.js';
import { exportBundle, type ExportOptions, type ExportResult } from './export-bundle.js';
import { assertRecordInput, prepareRecord, type PreparedRecord } from './prepare-record.js';
import { purgeTrail, type PurgeResult } from './purge.js';
import {
  queryTrail,
  subjectAccessReport,
  type SubjectAccessReport,
  type SubjectReportOptions,
  type TrailPage,
  type TrailQuery,
} from './query-trail.js';
import { TRAIL_MIGRATIONS, type CheckpointTable, type TrailDb } from './schema.js';
import { signerChain, verifySignature, type SignerChain } from './signer.js';
import { SubjectCache } from './subject-cache.js';
import { resolveTrailOptions, type ResolvedTrailOptions } from './trail-options.js';
import type {
  OpenTrailOptions,
  TrailAppendResult,
  TrailAppender,
  TrailRecordInput,
  TrailSigner,
  TrailSubject,
  TrailVerification,
} from './types.js';
import { writeBatch, type BatchOutcome } from './write-batch.js';
import { verifyStoredTrail, type VerifyOptions } from './verify-store.js';

/** A checkpoint as stored: the signed head. */
export type TrailCheckpoint = CheckpointTable;

/** An open trail: append, verify, query, export, purge. */
export interface Trail extends TrailAppender {
  /** The chain's name. */
  readonly name: string;
  /** Writes every queued record now. */
  flush(): Promise<void>;
  /**
   * Signs the current head now, unless it is already checkpointed.
   * @throws SecurityError `TRAIL_SIGNER_FAILED`.
   */
  checkpoint(): Promise<TrailCheckpoint | undefined>;
  /** Checks the chain; see {@link VerifyOptions}. @throws SecurityError `TRAIL_QUERY_INVALID`. */
  verify(options?: VerifyOptions): Promise<TrailVerification>;
  /** One page of records by subject, principal, case, source or period. */
  query(query: TrailQuery, options?: { signal?: AbortSignal }): Promise<TrailPage>;
  /** Every record about one person: who asked, when, why, on which basis, what they received. */
  subjectAccessReport(
    subject: TrailSubject,
    options?: SubjectReportOptions,
  ): Promise<SubjectAccessReport>;
  /** Writes an offline-verifiable bundle (NDJSON) to `path`. */
  exportBundle(path: string, options?: ExportOptions): Promise<ExportResult>;
  /** Applies the retention rules now. */
  purge(options?: { signal?: AbortSignal }): Promise<PurgeResult>;
  /** Flushes, signs a final checkpoint, stops timers. The store stays open. */
  close(): Promise<void>;
}

const checkpointFailed = diagnosticsChannelFor('security', 'trail', 'checkpoint-failed');

/**
 * Opens (and migrates) the trail `name` in `store`.
 *
 * @throws SecurityError `TRAIL_CONFIG_INVALID`, `TRAIL_SIGNER_FAILED` (the signer cannot sign, or
 *   its certificate does not verify its signatures); CoreError `CORE_MIGRATION_*`.
 * @example
 * ```ts
 * const trail = await openTrail({ store, name: 'io-module', subjectKeys, signer });
 * await trail.append({ action: 'query', principal: 'org:csd', subject, purpose, legalBasis });
 * const { ok, problems } = await trail.verify();
 * ```
 */
export async function openTrail(options: OpenTrailOptions): Promise<Trail> {
  const resolved = resolveTrailOptions(options);
  const chain = signerChain(options.signer);
  await probeSigner(options.signer, chain);
  const clock = options.clock ?? systemClock;

  await options.store.migrate(TRAIL_MIGRATIONS);
  const now = clock.now();
  await options.store
    .db<TrailDb>()
    .insertInto('trail_heads')
    .values({
      name: resolved.name,
      seq: 0,
      hash: GENESIS_HASH,
      updated_at: now,
      checkpoint_seq: 0,
      checkpoint_time: now,
    })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  await registerSigner(options.store, chain, now);
  return new OpenedTrail(options, resolved, chain, clock);
}

async function probeSigner(signer: TrailSigner, chain: SignerChain): Promise<void> {
  const probe = checkpointBytes({ trail: 'probe', seq: 0, hash: GENESIS_HASH, time: 0 });
  let signature: Uint8Array;
  try {
    signature = await signer.sign(probe);
  } catch (cause) {
    throw new SecurityError('TRAIL_SIGNER_FAILED', 'The signer cannot sign.', { cause });
  }
  const leaf = chain.certificates[0] as X509Certificate;
  if (!verifySignature(signer.algorithm, leaf, probe, signature)) {
    throw new SecurityError(
      'TRAIL_SIGNER_FAILED',
      "The signer's certificate does not verify its signatures (wrong certificate or algorithm).",
      { context: { algorithm: signer.algorithm } },
    );
  }
}

class OpenedTrail implements Trail {
  readonly name: string;
  readonly #store: Store;
  readonly #signer: TrailSigner;
  readonly #chain: SignerChain;
  readonly #clock: Clock;
  readonly #options: ResolvedTrailOptions;
  readonly #hmacKeys: OpenTrailOptions['subjectKeys']['hmacKeys'];
  readonly #dataKeys: DataKeys;
  readonly #queue: AppendQueue<PreparedRecord, TrailAppendResult>;
  readonly #preparing = new Set<Promise<unknown>>();
  readonly #subjects = new SubjectCache();
  readonly #timer: NodeJS.Timeout;
  #head: BatchOutcome['head'] | undefined;
  #closed = false;

  constructor(
    options: OpenTrailOptions,
    resolved: ResolvedTrailOptions,
    chain: SignerChain,
    clock: Clock,
  ) {
    this.name = resolved.name;
    this.#store = options.store;
    this.#signer = options.signer;
    this.#chain = chain;
    this.#clock = clock;
    this.#options = resolved;
    this.#hmacKeys = options.subjectKeys.hmacKeys;
    this.#dataKeys = new DataKeys(
      options.store,
      resolved.name,
      options.subjectKeys.masterKeys,
      resolved.keyPeriod,
      clock,
    );
    this.#queue = new AppendQueue(
      resolved.limits,
      (records) => this.#write(records),
      () => this.#checkpointIfDue(),
    );
    this.#timer = setInterval(() => void this.#checkpointQuietly(), resolved.checkpointMs);
    this.#timer.unref();
  }

  async append(
    input: TrailRecordInput,
    options: { signal?: AbortSignal } = {},
  ): Promise<TrailAppendResult> {
    if (this.#closed) throw new SecurityError('TRAIL_CLOSED', 'The trail is closed.');
    if (options.signal?.aborted) {
      throw new SecurityError(
        'TRAIL_APPEND_ABORTED',
        'The append was aborted before it was written.',
        {
          cause: options.signal.reason,
        },
      );
    }
    assertRecordInput(input);

    const time = this.#clock.now();
    const needsKey = input.subject !== undefined || input.payload !== undefined;
    const dataKey = needsKey ? this.#dataKeys.cachedFor(time) : undefined;
    let record: PreparedRecord;
    if (!needsKey || dataKey) {
      record = prepareRecord(
        this.name,
        input,
        time,
        this.#options.hmacKey,
        dataKey,
        this.#subjects,
      );
    } else {
      const preparing = this.#prepareWithKey(input, time);
      this.#preparing.add(preparing);
      try {
        record = await preparing;
      } finally {
        this.#preparing.delete(preparing);
      }
    }
    return this.#queue.enqueue(record, options.signal);
  }

  flush(): Promise<void> {
    return this.#queue.flush();
  }

  async checkpoint(): Promise<TrailCheckpoint | undefined> {
    await this.#queue.flush();
    return writeCheckpoint(this.#store, this.name, this.#signer, this.#chain, this.#clock);
  }

  verify(options?: VerifyOptions): Promise<TrailVerification> {
    return verifyStoredTrail(this.#store, this.name, options);
  }

  query(query: TrailQuery, options: { signal?: AbortSignal } = {}): Promise<TrailPage> {
    return queryTrail(this.#context(), query, options.signal);
  }

  subjectAccessReport(
    subject: TrailSubject,
    options?: SubjectReportOptions,
  ): Promise<SubjectAccessReport> {
    return subjectAccessReport(this.#context(), subject, options, (o) => this.verify(o));
  }

  exportBundle(path: string, options?: ExportOptions): Promise<ExportResult> {
    return exportBundle(this.#store, this.name, path, this.#clock, options);
  }

  async purge(options: { signal?: AbortSignal } = {}): Promise<PurgeResult> {
    const result = await purgeTrail(
      this.#store,
      this.name,
      this.#options.retention,
      this.#clock,
      options.signal,
    );
    this.#dataKeys.forget();
    this.#subjects.clear();
    return result;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#timer);
    await Promise.allSettled([...this.#preparing]);
    await this.#queue.flush();
    await writeCheckpoint(this.#store, this.name, this.#signer, this.#chain, this.#clock);
  }

  #context() {
    return {
      store: this.#store,
      trail: this.name,
      hmacKeys: this.#hmacKeys,
      dataKeys: this.#dataKeys,
      clock: this.#clock,
    };
  }

  async #prepareWithKey(input: TrailRecordInput, time: number): Promise<PreparedRecord> {
    const dataKey = await this.#dataKeys.forTime(time);
    return prepareRecord(this.name, input, time, this.#options.hmacKey, dataKey, this.#subjects);
  }

  async #write(records: PreparedRecord[]): Promise<TrailAppendResult[]> {
    const outcome = await writeBatch(this.#store, this.name, records, this.#clock.now());
    this.#head = outcome.head;
    return outcome.results;
  }

  async #checkpointIfDue(): Promise<void> {
    const head = this.#head;
    if (!head || head.seq <= head.checkpoint_seq) return;
    const byCount = head.seq - head.checkpoint_seq >= this.#options.checkpointRecords;
    const byTime = this.#clock.now() - head.checkpoint_time >= this.#options.checkpointMs;
    if (byCount || byTime) {
      this.#head = undefined;
      await this.#checkpointQuietly();
    }
  }

  async #checkpointQuietly(): Promise<void> {
    try {
      await writeCheckpoint(this.#store, this.name, this.#signer, this.#chain, this.#clock);
    } catch (err) {
      if (checkpointFailed.hasSubscribers) {
        checkpointFailed.publish({
          trail: this.name,
          code: (err as { code?: string }).code ?? null,
        });
      }
    }
  }
}
