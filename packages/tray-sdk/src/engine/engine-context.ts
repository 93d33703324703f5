// What the parts of a running Tray share: store, catalogue, connectors, trail, clock and events.

import type { EventEmitter } from 'node:events';
import type { Backend, Clock, Logger, Store } from '@interop-blocks/core';
import type { TrailAppender } from '@interop-blocks/security';
import type { Kysely } from 'kysely';
import type { Catalogue, Source } from '../catalogue/define-catalogue.js';
import type { Connector } from '../connectors/connector.js';
import type { GatheringProcess } from '../process/define-process.js';
import type { CaseRow, TrayDb } from './tables.js';
import type { TrayEvent } from './types.js';

/** The shared state of one Tray. Internal. */
export interface EngineContext {
  readonly store: Store;
  readonly db: Kysely<TrayDb>;
  readonly backend: Backend;
  readonly catalogue: Catalogue;
  readonly processes: ReadonlyMap<string, GatheringProcess>;
  readonly trail: TrailAppender;
  readonly organisation: string;
  readonly clock: Clock;
  readonly workerId: string;
  readonly logger: Logger;
  readonly events: EventEmitter;
  /** Case id -> answers being trailed in this process; the case waits for them to finish. */
  readonly trailing: Map<string, number>;
  /** Aborted when the Tray stops. */
  readonly stopSignal: AbortSignal;
  connectorFor(source: Source): Connector;
  /** The case, from memory or the store. */
  caseRow(caseId: string): Promise<CaseRow | undefined>;
  /** Aborted when the case is cancelled (in this process). */
  caseSignal(caseId: string): AbortSignal;
  /** New work for a source: its worker looks for it. */
  wake(source: string): void;
  /**
   * An enquiry of the case became final: plan the next steps, finish the case when all are final.
   */
  advance(caseId: string): void;
  emit(event: TrayEvent): void;
}
