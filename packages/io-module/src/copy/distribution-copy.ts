// The distribution copy: declared datasets, their versions on a store, loads, change sets, lookups.

import {
  createDefaultSchemes,
  systemClock,
  type Clock,
  type IdentifierSchemes,
  type Store,
  type Subject,
} from '@interop-blocks/core';
import { defineDatasets, type Dataset } from '../dataset/define-dataset.js';
import type { DatasetDeclaration } from '../dataset/declaration-schema.js';
import { IoError } from '../errors.js';
import { applyChangeSet, type ChangeOptions, type ChangeReport } from './apply-changes.js';
import type { LoadContext } from './build-version.js';
import { loadVersion, type LoadOptions, type LoadReport } from './load-version.js';
import { readRecords } from './lookup.js';
import { ioMigrations, type IoTables } from './migrations.js';
import type { LoadInput } from './read-input.js';
import { toVersionInfo, type VersionInfo } from './version-lifecycle.js';
import { subjectKey } from './version-tables.js';

/** Options of {@link openDistributionCopy}. */
export interface DistributionCopyOptions {
  store: Store;
  datasets: readonly DatasetDeclaration[];
  /** Identifier schemes for subject keys; default `emso` and `tax`. */
  schemes?: IdentifierSchemes;
  clock?: Clock;
  /**
   * How long a process trusts its cached live version before reading the pointer again (another
   * process may have switched). A switch made by this process is seen at once. Default 1000 ms.
   */
  liveCacheMs?: number;
}

/** Options of {@link DistributionCopy.lookup}. */
export interface LookupOptions {
  /** Read this version instead of the live one (it must not be purged). */
  version?: number;
  /** For datasets versioned by date: the newest version valid on this ISO date. */
  referenceDate?: string;
}

/** The answer of a lookup: the version read and each subject's records (absent = not found). */
export interface LookupResult {
  version: VersionInfo;
  records: Map<string, Record<string, unknown>[]>;
  /** The subject key of each subject asked, in order (`scheme:id`). */
  keys: string[];
}

/**
 * A data owner's distribution copy: a versioned, read-only copy of its datasets, loaded in bulk or
 * by change sets and switched atomically, so that readers never see a half-loaded copy.
 */
export class DistributionCopy {
  readonly #store: Store;
  readonly #datasets: Map<string, Dataset>;
  readonly #schemes: IdentifierSchemes;
  readonly #clock: Clock;
  readonly #liveCacheMs: number;
  readonly #live = new Map<string, { version: VersionInfo; readAt: number }>();

  /** Use {@link openDistributionCopy}. */
  constructor(options: DistributionCopyOptions, datasets: Map<string, Dataset>) {
    this.#store = options.store;
    this.#datasets = datasets;
    this.#schemes = options.schemes ?? createDefaultSchemes();
    this.#clock = options.clock ?? systemClock;
    this.#liveCacheMs = options.liveCacheMs ?? 1000;
  }

  /** The declared dataset `id`. @throws IoError `IO_DATASET_UNKNOWN`. */
  dataset(id: string): Dataset {
    const dataset = this.#datasets.get(id);
    if (!dataset) {
      throw new IoError('IO_DATASET_UNKNOWN', 'No such dataset is declared.', {
        context: { dataset: String(id).slice(0, 128) },
      });
    }
    return dataset;
  }

  /** The declared datasets. */
  datasets(): Dataset[] {
    return [...this.#datasets.values()];
  }

  /**
   * Loads a full copy of `datasetId` from NDJSON, CSV or records into a new version, validating
   * every record, then switches to it atomically and purges versions beyond the dataset's
   * `keepVersions`. Memory does not grow with the input: it streams in batches.
   *
   * @throws IoError `IO_DATASET_UNKNOWN`, `IO_LOAD_INVALID_RECORD` (with `onInvalid: 'fail'`),
   *   `IO_LOAD_INPUT_INVALID`, `IO_LOAD_ABORTED`. On any error the live version is unchanged.
   * @example
   * ```ts
   * const report = await copy.load('furs.income', createReadStream('income.ndjson'), { format:
   * 'ndjson' });
   * ```
   */
  async load(datasetId: string, input: LoadInput, options: LoadOptions): Promise<LoadReport> {
    return loadVersion(this.#context(), this.dataset(datasetId), input, options);
  }

  /**
   * Applies puts and deletes by subject to the live version as a new version, then switches.
   * @throws IoError `IO_VERSION_NONE` (nothing to change yet), `IO_CHANGE_INVALID`,
   * `IO_LOAD_ABORTED`.
   */
  async applyChanges(
    datasetId: string,
    changes: LoadInput,
    options: ChangeOptions = {},
  ): Promise<ChangeReport> {
    const dataset = this.dataset(datasetId);
    const base = await this.#readLive(dataset.id);
    return applyChangeSet(this.#context(), dataset, base.id, changes, options);
  }

  /**
   * The records of each subject in one version (the live one unless told otherwise).
   *
   * @throws IoError `IO_DATASET_UNKNOWN`, `IO_BATCH_TOO_LARGE`, `IO_VERSION_NONE`,
   *   `IO_VERSION_UNKNOWN`.
   */
  async lookup(
    datasetId: string,
    subjects: readonly Subject[],
    options: LookupOptions = {},
  ): Promise<LookupResult> {
    const dataset = this.dataset(datasetId);
    if (subjects.length > dataset.maxBatch) {
      throw new IoError('IO_BATCH_TOO_LARGE', 'Too many subjects in one lookup.', {
        context: { dataset: dataset.id, asked: subjects.length, limit: dataset.maxBatch },
      });
    }

    const version = await this.#resolveVersion(dataset, options);
    const keys = subjects.map((s) => subjectKey(s.scheme, s.id));
    const records = await readRecords(this.#store.db(), version.id, keys);
    return { version, records, keys };
  }

  /** The live version of a dataset, or undefined when none was loaded yet. */
  async live(datasetId: string): Promise<VersionInfo | undefined> {
    const dataset = this.dataset(datasetId);
    try {
      return await this.#cachedLive(dataset.id);
    } catch (err) {
      if (IoError.is(err, 'IO_VERSION_NONE')) return undefined;
      throw err;
    }
  }

  /** True when the store answers. */
  ping(): Promise<boolean> {
    return this.#store.ping();
  }

  /** Every version of a dataset, newest first, with its state and counts. */
  async versions(datasetId: string): Promise<VersionInfo[]> {
    const dataset = this.dataset(datasetId);
    const rows = await this.#store
      .db<IoTables>()
      .selectFrom('io_version')
      .selectAll()
      .where('dataset', '=', dataset.id)
      .orderBy('id', 'desc')
      .execute();
    return rows.map(toVersionInfo);
  }

  /** Records set aside by a quarantining load, in line order (the owner's own data, to fix). */
  async quarantined(
    version: number,
    options: { afterLine?: number; limit?: number } = {},
  ): Promise<IoTables['io_quarantine'][]> {
    return this.#store
      .db<IoTables>()
      .selectFrom('io_quarantine')
      .selectAll()
      .where('version', '=', version)
      .where('line', '>', options.afterLine ?? 0)
      .orderBy('line')
      .limit(Math.min(options.limit ?? 100, 10_000))
      .execute();
  }

  #context(): LoadContext {
    return {
      store: this.#store,
      clock: this.#clock,
      schemes: this.#schemes,
      onSwitched: (dataset) => this.#live.delete(dataset),
    };
  }

  async #resolveVersion(dataset: Dataset, options: LookupOptions): Promise<VersionInfo> {
    if (options.version !== undefined) return this.#readVersion(dataset, options.version);
    if (options.referenceDate !== undefined && dataset.declaration.versionedByDate) {
      return this.#versionAsOf(dataset, options.referenceDate);
    }
    return this.#cachedLive(dataset.id);
  }

  async #cachedLive(dataset: string): Promise<VersionInfo> {
    const cached = this.#live.get(dataset);
    const now = this.#clock.now();
    if (cached && now - cached.readAt < this.#liveCacheMs) return cached.version;
    const version = await this.#readLive(dataset);
    this.#live.set(dataset, { version, readAt: now });
    return version;
  }

  async #readLive(dataset: string): Promise<VersionInfo> {
    const row = await this.#store
      .db<IoTables>()
      .selectFrom('io_live')
      .innerJoin('io_version', 'io_version.id', 'io_live.version')
      .selectAll('io_version')
      .where('io_live.dataset', '=', dataset)
      .executeTakeFirst();
    if (!row) {
      throw new IoError('IO_VERSION_NONE', 'The dataset has no live version yet.', {
        context: { dataset },
      });
    }
    return toVersionInfo(row);
  }

  async #readVersion(dataset: Dataset, id: number): Promise<VersionInfo> {
    const row = await this.#store
      .db<IoTables>()
      .selectFrom('io_version')
      .selectAll()
      .where('id', '=', id)
      .where('dataset', '=', dataset.id)
      .where('state', 'in', ['live', 'retired'])
      .executeTakeFirst();
    if (!row) {
      throw new IoError('IO_VERSION_UNKNOWN', 'No such version is kept.', {
        context: { dataset: dataset.id, version: id },
      });
    }
    return toVersionInfo(row);
  }

  async #versionAsOf(dataset: Dataset, date: string): Promise<VersionInfo> {
    const row = await this.#store
      .db<IoTables>()
      .selectFrom('io_version')
      .selectAll()
      .where('dataset', '=', dataset.id)
      .where('state', 'in', ['live', 'retired'])
      .where('as_of', '<=', date)
      .orderBy('as_of', 'desc')
      .orderBy('id', 'desc')
      .executeTakeFirst();
    if (!row) {
      throw new IoError('IO_VERSION_NONE', 'No kept version is valid on the reference date.', {
        context: { dataset: dataset.id },
      });
    }
    return toVersionInfo(row);
  }
}

/**
 * Opens the distribution copy on a store: checks the declarations and runs the migrations.
 *
 * @throws IoError `IO_DATASET_INVALID`, `IO_DATASET_UNKNOWN_FIELD`, `IO_DATASET_DUPLICATE`.
 * @example
 * ```ts
 * const store = await openStore('sqlite:./data/io.db');
 * const copy = await openDistributionCopy({ store, datasets: [incomeDeclaration] });
 * ```
 */
export async function openDistributionCopy(
  options: DistributionCopyOptions,
): Promise<DistributionCopy> {
  const datasets = defineDatasets(options.datasets);
  await options.store.migrate(ioMigrations);
  return new DistributionCopy(options, datasets);
}
