// Signs the head of a chain (a checkpoint) with the organisation's key and stores it.

import type { Clock, Store } from '@interop-blocks/core';
import { SecurityError } from '../errors.js';
import { checkpointBytes } from './canonical.js';
import type { CheckpointTable, TrailDb } from './schema.js';
import type { SignerChain } from './signer.js';
import type { TrailSigner } from './types.js';

/** Registers the signer's certificate chain so that checkpoints can name it by fingerprint. */
export async function registerSigner(store: Store, chain: SignerChain, now: number): Promise<void> {
  await store
    .db<TrailDb>()
    .insertInto('trail_signers')
    .values({ fingerprint: chain.fingerprint, chain_pem: chain.pem, added_at: now })
    .onConflict((oc) => oc.column('fingerprint').doNothing())
    .execute();
}

/**
 * Signs the committed head of `trail` unless it is already checkpointed, and stores the
 * checkpoint. Several processes may do this at once: a checkpoint per seq is kept once.
 *
 * @throws SecurityError `TRAIL_SIGNER_FAILED` when the signer throws.
 */
export async function writeCheckpoint(
  store: Store,
  trail: string,
  signer: TrailSigner,
  chain: SignerChain,
  clock: Clock,
): Promise<CheckpointTable | undefined> {
  const db = store.db<TrailDb>();
  const head = await db
    .selectFrom('trail_heads')
    .select(['seq', 'hash', 'checkpoint_seq'])
    .where('name', '=', trail)
    .executeTakeFirst();
  if (!head || head.seq === 0 || head.seq <= head.checkpoint_seq) return undefined;

  const time = clock.now();
  let signature: Uint8Array;
  try {
    signature = await signer.sign(checkpointBytes({ trail, seq: head.seq, hash: head.hash, time }));
  } catch (cause) {
    throw new SecurityError('TRAIL_SIGNER_FAILED', 'The signer failed to sign a checkpoint.', {
      context: { trail, seq: head.seq },
      cause,
    });
  }

  const checkpoint: CheckpointTable = {
    trail,
    seq: head.seq,
    hash: head.hash,
    time,
    algorithm: signer.algorithm,
    signature: Buffer.from(signature).toString('base64'),
    signer: chain.fingerprint,
  };
  await db
    .insertInto('trail_checkpoints')
    .values(checkpoint)
    .onConflict((oc) => oc.columns(['trail', 'seq']).doNothing())
    .execute();
  await db
    .updateTable('trail_heads')
    .set({ checkpoint_seq: head.seq, checkpoint_time: time })
    .where('name', '=', trail)
    .where('checkpoint_seq', '<', head.seq)
    .execute();
  return checkpoint;
}
