// What every operation of the waiting rooms shares: store, trail, clock, rooms, groups, dialect.

import type { Clock, Store, createAjv } from '@interop-blocks/core';
import type { TrailAppender } from '@interop-blocks/security';
import type { RoomDeclaration } from '../types.js';
import type { RoomsDialect } from './dialect.js';

/** A compiled validator of a room's answer data. */
export type AnswerValidator = ReturnType<ReturnType<typeof createAjv>['compile']>;

/** A declared room with its compiled answer schema. */
export interface ResolvedRoom {
  declaration: RoomDeclaration;
  validate: AnswerValidator;
}

/** The shared state of one `openWaitingRooms` instance. */
export interface RoomsContext {
  store: Store;
  trail: TrailAppender;
  clock: Clock;
  rooms: ReadonlyMap<string, ResolvedRoom>;
  groups: ReadonlyMap<string, readonly string[]>;
  warningShare: number;
  criticalShare: number;
  dialect: RoomsDialect;
}
