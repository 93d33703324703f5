// Builds a new version beside the live one and switches to it; on any failure the live one stays.

import type { Clock, IdentifierSchemes, Store } from '@interop-blocks/core';
import type { Dataset } from '../dataset/define-dataset.js';
import { IoError } from '../errors.js';
import { allocateVersion, failVersion, switchVersion } from './version-lifecycle.js';

/** What building a version needs from the distribution copy. */
export interface LoadContext {
  store: Store;
  clock: Clock;
  schemes: IdentifierSchemes;
  /** Called once the new version is live, so that readers switch at once. */
  onSwitched(dataset: string, version: number): void;
}

/** What a build step produced: the counts recorded with the version, and its own report. */
export interface BuiltVersion<T> {
  counts: { records: number; subjects: number };
  rejected: number;
  report: T;
}

/**
 * Allocates a version, lets `build` fill its table, switches the dataset to it and purges versions
 * beyond the dataset's `keepVersions`. A failure or an abort marks the version failed, drops its
 * table and leaves the live version as it was.
 *
 * @throws IoError `IO_LOAD_ABORTED` when `signal` aborted the build; otherwise what `build` threw.
 */
export async function buildVersion<T>(
  ctx: LoadContext,
  dataset: Dataset,
  row: { label?: string; kind: 'full' | 'changes'; baseVersion?: number; asOf?: string },
  signal: AbortSignal | undefined,
  build: (id: number) => Promise<BuiltVersion<T>>,
): Promise<T & { version: number }> {
  signal?.throwIfAborted();
  const id = await allocateVersion(ctx.store, ctx.clock, { dataset: dataset.id, ...row });

  try {
    const built = await build(id);
    signal?.throwIfAborted();
    await switchVersion(
      ctx.store,
      ctx.clock,
      dataset.id,
      id,
      { ...built.counts, rejected: built.rejected },
      dataset.keepVersions,
    );
    ctx.onSwitched(dataset.id, id);
    return { ...built.report, version: id };
  } catch (err) {
    await failVersion(ctx.store, id);
    if (signal?.aborted && !(err instanceof IoError)) {
      throw new IoError(
        'IO_LOAD_ABORTED',
        'The build was aborted; the live version is unchanged.',
        {
          context: { dataset: dataset.id, version: id },
          cause: err,
        },
      );
    }
    throw err;
  }
}
