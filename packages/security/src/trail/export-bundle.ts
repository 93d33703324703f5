// Exports a range of a chain, its checkpoints and signer certificates as an NDJSON bundle.

import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Clock, Store } from '@interop-blocks/core';
import { SecurityError } from '../errors.js';
import { GENESIS_HASH, RECORD_FORMAT } from './canonical.js';
import { BUNDLE_FORMAT, BUNDLE_VERSION, type BundleHeader } from './bundle-format.js';
import { HASHED_COLUMN_NAMES, type TrailDb } from './schema.js';

/** Options of exportBundle(). */
export interface ExportOptions {
  /** First seq (default 1). */
  from?: number;
  /** Last seq (default the head). */
  to?: number;
  signal?: AbortSignal;
}

/** What was exported. */
export interface ExportResult {
  path: string;
  records: number;
  checkpoints: number;
}

const PAGE = 5000;

/**
 * Writes the records `from..to` of `trail` with the checkpoints of that range and every signer's
 * certificate chain to `path` (NDJSON, see {@link BundleHeader}). Ciphertexts are not exported.
 *
 * @throws SecurityError `TRAIL_QUERY_INVALID` for a bad range.
 */
export async function exportBundle(
  store: Store,
  trail: string,
  path: string,
  clock: Clock,
  options: ExportOptions = {},
): Promise<ExportResult> {
  const from = options.from ?? 1;
  const to = options.to ?? Number.MAX_SAFE_INTEGER;
  if (!Number.isSafeInteger(from) || from < 1 || !Number.isSafeInteger(to) || to < from) {
    throw new SecurityError('TRAIL_QUERY_INVALID', 'An export range runs from seq 1 up.');
  }
  const db = store.db<TrailDb>();
  const head = await db
    .selectFrom('trail_heads')
    .select(['seq', 'hash'])
    .where('name', '=', trail)
    .executeTakeFirst();
  const anchor =
    from === 1
      ? GENESIS_HASH
      : ((
          await db
            .selectFrom('trail_records')
            .select('hash')
            .where('trail', '=', trail)
            .where('seq', '=', from - 1)
            .executeTakeFirst()
        )?.hash ?? null);
  const signers = await db
    .selectFrom('trail_signers')
    .select(['fingerprint', 'chain_pem'])
    .orderBy('fingerprint')
    .execute();

  const out = createWriteStream(path, { encoding: 'utf8' });
  const write = async (value: unknown) => {
    if (!out.write(`${JSON.stringify(value)}\n`)) await once(out, 'drain');
  };
  try {
    const header: BundleHeader = {
      format: BUNDLE_FORMAT,
      version: BUNDLE_VERSION,
      recordFormat: RECORD_FORMAT,
      trail,
      exportedAt: new Date(clock.now()).toISOString(),
      anchor: { seq: from - 1, hash: anchor },
      head: { seq: head?.seq ?? 0, hash: head?.hash ?? GENESIS_HASH },
      signers: signers.map((s) => ({ fingerprint: s.fingerprint, chainPem: s.chain_pem })),
    };
    await write(header);

    let checkpoints = 0;
    for (let after = from - 1; ;) {
      options.signal?.throwIfAborted();
      const page = await db
        .selectFrom('trail_checkpoints')
        .selectAll()
        .where('trail', '=', trail)
        .where('seq', '>', after)
        .where('seq', '<=', to)
        .orderBy('seq')
        .limit(PAGE)
        .execute();
      for (const { trail: _trail, ...cp } of page) await write({ type: 'checkpoint', ...cp });
      checkpoints += page.length;
      if (page.length < PAGE) break;
      after = page[page.length - 1]?.seq ?? after;
    }

    let records = 0;
    for (let after = from - 1; ;) {
      options.signal?.throwIfAborted();
      const page = await db
        .selectFrom('trail_records')
        .select(HASHED_COLUMN_NAMES)
        .where('trail', '=', trail)
        .where('seq', '>', after)
        .where('seq', '<=', to)
        .orderBy('seq')
        .limit(PAGE)
        .execute();
      for (const record of page) await write({ type: 'record', ...record });
      records += page.length;
      if (page.length < PAGE) break;
      after = page[page.length - 1]?.seq ?? after;
    }

    await write({ type: 'end', records, checkpoints });
    await closeStream(out);
    return { path, records, checkpoints };
  } catch (err) {
    out.destroy();
    throw err;
  }
}

async function closeStream(out: WriteStream): Promise<void> {
  out.end();
  await once(out, 'finish');
}
