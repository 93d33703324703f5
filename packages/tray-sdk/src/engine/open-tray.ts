// The enquirer's API: open a case, follow its progress, wait, collect, cancel; start and stop
// workers.

import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { silentLogger, systemClock } from '@interop-blocks/core';
import type { Kysely } from 'kysely';
import type { Source } from '../catalogue/define-catalogue.js';
import type { Connector } from '../connectors/connector.js';
import { TrayError } from '../errors.js';
import type { GatheringProcess } from '../process/define-process.js';
import { caseProgress } from './case-progress.js';
import { findCase, insertCase, openCaseIds } from './case-rows.js';
import { caseRowFor } from './check-case.js';
import { caseView, collectCase } from './collect-case.js';
import type { EngineContext } from './engine-context.js';
import { openEnquiriesOfCase, releaseLeasesOf } from './enquiry-rows.js';
import { TRAY_MIGRATIONS } from './migrations.js';
import { retrailAnswers } from './retrail-answers.js';
import { TrayRuntime } from './tray-runtime.js';
import { recordAnswer } from './record-outcome.js';
import type { CaseRow, TrayDb } from './tables.js';
import type { CaseInput, CaseView, CollectedCase, TrayEvent, TrayOptions } from './types.js';

/** A running Tray. Every method takes an optional `AbortSignal`. */
export interface Tray {
  /**
   * Stores a case and plans its first steps; the workers send its enquiries once started.
   * @throws TrayError `TRAY_CASE_INVALID`, `TRAY_PURPOSE_UNKNOWN`, `TRAY_ABORTED`.
   */
  open(input: CaseInput, options?: { signal?: AbortSignal }): Promise<CaseView>;
  /** Starts the workers and resumes every open case (after a restart, where it stood). */
  start(): Promise<void>;
  /** Stops the workers; enquiries in flight go back to the queue. Closes the connectors. */
  stop(): Promise<void>;
  /**
   * Resolves when the case is finished or cancelled (also when another process finished it).
   * @throws TrayError `TRAY_CASE_NOT_FOUND`, `TRAY_ABORTED`.
   */
  wait(caseId: string, options?: { signal?: AbortSignal }): Promise<CaseView>;
  /** The events of one case until it ends. @throws TrayError `TRAY_ABORTED`. */
  progress(caseId: string, options?: { signal?: AbortSignal }): AsyncIterable<TrayEvent>;
  /** Calls `listener` with every event of every case; returns the function that unsubscribes. */
  subscribe(listener: (event: TrayEvent) => void): () => void;
  /**
   * The answers of an ended case, grouped by subject and source; payloads are deleted as they are
   * handed out (a second call gets metadata only).
   * @throws TrayError `TRAY_CASE_NOT_FOUND`, `TRAY_CASE_NOT_FINISHED`, `TRAY_ABORTED`.
   */
  collect(caseId: string, options?: { signal?: AbortSignal }): Promise<CollectedCase>;
  /**
   * Cancels a case: attempts in flight are aborted, every open enquiry fails with
   * `TRAY_CASE_CANCELLED`. Cancelling an ended case does nothing.
   * @throws TrayError `TRAY_CASE_NOT_FOUND`, `TRAY_ABORTED`.
   */
  cancel(caseId: string, options?: { signal?: AbortSignal }): Promise<CaseView>;
  /** The case as stored. @throws TrayError `TRAY_CASE_NOT_FOUND`. */
  status(caseId: string, options?: { signal?: AbortSignal }): Promise<CaseView>;
  /** The breaker state of a source in this process (`closed`, `open`, `half-open`). */
  breakerState(sourceId: string): string | undefined;
}

/**
 * Opens a Tray on a store: applies its migrations (namespace `tray`) and checks that every source
 * a process asks has a connector.
 *
 * @throws TrayError `TRAY_CONNECTOR_MISSING`; CoreError from the store's migrations.
 * @example
 * ```ts
 * const tray = await openTray({ store, catalogue, processes, connectors: [restConnector()],
 *   trail, organisation: 'csd-ljubljana' });
 * await tray.start();
 * const opened = await tray.open({ purpose: 'child-benefit', caseReference: 'CSD-2026-0042',
 *   official: 'u-1234', applicant: { scheme: 'emso', id }, applicationDate: '2026-03-02' });
 * await tray.wait(opened.id);
 * const result = await tray.collect(opened.id);
 * ```
 */
export async function openTray(options: TrayOptions): Promise<Tray> {
  const processes = processMap(options.processes);
  const connectors =
    options.connectors instanceof Map
      ? new Map<string, Connector>(options.connectors)
      : new Map<string, Connector>(
          (options.connectors as readonly Connector[]).map((c) => [c.kind, c]),
        );
  for (const process of processes.values()) {
    for (const step of process.steps) {
      for (const id of step.sources) connectorKind(options.catalogue.source(id)!, connectors);
    }
  }
  await options.store.migrate(TRAY_MIGRATIONS);

  const stop = new AbortController();
  const events = new EventEmitter();
  events.setMaxListeners(0);
  const cases = new Map<string, CaseRow>();
  const cancels = new Map<string, AbortController>();
  const db = options.store.db<TrayDb>();
  // The runtime needs the context, and the context reaches the runtime: set once, below.
  const late: { runtime?: TrayRuntime } = {};

  const ctx: EngineContext = {
    store: options.store,
    db,
    backend: options.store.backend,
    catalogue: options.catalogue,
    processes,
    trail: options.trail,
    organisation: options.organisation,
    clock: options.clock ?? systemClock,
    workerId: options.workerId ?? `tray-${randomUUID()}`,
    logger: options.logger ?? silentLogger,
    events,
    trailing: new Map(),
    stopSignal: stop.signal,
    connectorFor: (source) => connectorKind(source, connectors),
    caseRow: async (id) => cached(cases, id, db),
    caseSignal: (id) => controllerOf(cancels, id).signal,
    wake: (source) => late.runtime?.wake(source),
    advance: (id) => late.runtime?.advance(id),
    emit: (event) => {
      if (event.type === 'case') {
        cases.delete(event.caseId);
        cancels.delete(event.caseId);
      }
      events.emit('event', event);
    },
  };
  const runtime = new TrayRuntime(ctx, {
    pollMs: options.pollMs ?? 250,
    collectEveryMs: options.collectEveryMs ?? 1000,
  });
  late.runtime = runtime;

  const mustFind = async (caseId: string): Promise<CaseRow> => {
    const row = await findCase(db, caseId);
    if (!row) throw new TrayError('TRAY_CASE_NOT_FOUND', 'No such case.', { context: { caseId } });
    return row;
  };

  return {
    async open(input, opts = {}) {
      aborted(opts.signal);
      const row = caseRowFor(input, processes, {
        organisation: options.organisation,
        clock: ctx.clock,
      });
      await insertCase(db, row);
      cases.set(row.id, row);
      await runtime.advanceNow(row.id);
      return caseView(row);
    },

    async start() {
      await releaseLeasesOf(db, ctx.workerId, ctx.clock.now());
      await retrailAnswers(ctx, { ownEarlierRun: true });
      runtime.start();
      for (const id of await openCaseIds(db)) runtime.advance(id);
    },

    async stop() {
      stop.abort();
      await runtime.stop();
      await Promise.allSettled([...connectors.values()].map((c) => c.close?.()));
    },

    async wait(caseId, opts = {}) {
      for (;;) {
        aborted(opts.signal);
        const row = await mustFind(caseId);
        if (row.status !== 'open') return caseView(row);
        await runtime.nextCaseEvent(caseId, opts.signal);
      }
    },

    progress: (caseId, opts = {}) => caseProgress(events, caseId, opts.signal),

    subscribe(listener) {
      events.on('event', listener);
      return () => events.off('event', listener);
    },

    collect: (caseId, opts = {}) => collectCase(ctx, caseId, opts.signal),

    async cancel(caseId, opts = {}) {
      aborted(opts.signal);
      const row = await mustFind(caseId);
      if (row.status !== 'open') return caseView(row);
      // Record the cancellation first, so that attempts aborted below cannot record theirs.
      for (const enquiry of await openEnquiriesOfCase(db, caseId)) {
        await recordAnswer(ctx, enquiry, { status: 'failed', reasonCode: 'TRAY_CASE_CANCELLED' });
      }
      controllerOf(cancels, caseId).abort();
      await runtime.cancelCase(caseId);
      return caseView(await mustFind(caseId));
    },

    async status(caseId, opts = {}) {
      aborted(opts.signal);
      return caseView(await mustFind(caseId));
    },

    breakerState: (sourceId) => runtime.breakerState(sourceId),
  };
}

function processMap(processes: TrayOptions['processes']): ReadonlyMap<string, GatheringProcess> {
  if (processes instanceof Map) return processes;
  return new Map((processes as readonly GatheringProcess[]).map((p) => [p.purpose, p]));
}

function connectorKind(source: Source, connectors: Map<string, Connector>): Connector {
  const transport = source.declaration.transport;
  const kind = transport.kind === 'custom' ? transport.connector : transport.kind;
  const connector = connectors.get(kind);
  if (!connector) {
    throw new TrayError('TRAY_CONNECTOR_MISSING', 'A source has no connector for its transport.', {
      context: { source: source.id, kind },
    });
  }
  return connector;
}

const CASE_CACHE = 10_000;

async function cached(
  cases: Map<string, CaseRow>,
  id: string,
  db: Kysely<TrayDb>,
): Promise<CaseRow | undefined> {
  const hit = cases.get(id);
  if (hit) return hit;
  const row = await findCase(db, id);
  if (row) {
    if (cases.size >= CASE_CACHE) cases.delete(cases.keys().next().value as string);
    cases.set(id, row);
  }
  return row;
}

function controllerOf(map: Map<string, AbortController>, id: string): AbortController {
  let controller = map.get(id);
  if (!controller) {
    controller = new AbortController();
    map.set(id, controller);
  }
  return controller;
}

function aborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new TrayError('TRAY_ABORTED', 'The call was aborted.');
}
