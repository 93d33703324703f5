// Checks the options of openWaitingRooms and compiles each room's answer schema once.

import { createAjv, systemClock } from '@interop-blocks/core';
import { AsyncError } from '../errors.js';
import type { WaitingRoomsOptions } from '../types.js';
import type { ResolvedRoom, RoomsContext } from './context.js';
import { dialectFor } from './dialect.js';

const ROOM_ID = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

function invalid(message: string, context: Record<string, string | number> = {}): never {
  throw new AsyncError('ASYNC_OPTIONS_INVALID', message, { context });
}

/**
 * The shared context of the rooms.
 *
 * @throws AsyncError `ASYNC_OPTIONS_INVALID` (duplicate or malformed room, bad answer schema,
 *   group naming an undeclared room, lateness shares outside 0 < warning < critical < 1).
 */
export function resolveOptions(options: WaitingRoomsOptions): RoomsContext {
  const ajv = createAjv();
  const rooms = new Map<string, ResolvedRoom>();
  for (const declaration of options.rooms) {
    if (!ROOM_ID.test(declaration.id)) invalid('A room id is a source id.', { room: '?' });
    if (rooms.has(declaration.id)) invalid('A room is declared twice.', { room: declaration.id });
    if (!declaration.owner) invalid('A room names its owner.', { room: declaration.id });
    if (declaration.defaultDeadlineMs !== undefined && !(declaration.defaultDeadlineMs > 0)) {
      invalid('A default deadline is a positive number of ms.', { room: declaration.id });
    }
    let validate: ResolvedRoom['validate'];
    try {
      validate = ajv.compile(declaration.answerSchema);
    } catch (cause) {
      throw new AsyncError('ASYNC_OPTIONS_INVALID', 'A room has an invalid answer schema.', {
        context: { room: declaration.id },
        cause,
      });
    }
    rooms.set(declaration.id, { declaration, validate });
  }

  const groups = new Map<string, readonly string[]>();
  for (const [name, members] of Object.entries(options.groups ?? {})) {
    if (members.length === 0) invalid('A group has at least one room.', { group: name });
    for (const room of members) {
      if (!rooms.has(room)) invalid('A group names an undeclared room.', { group: name, room });
    }
    groups.set(name, [...new Set(members)]);
  }

  const warningShare = options.lateness?.warningShare ?? 0.5;
  const criticalShare = options.lateness?.criticalShare ?? 0.8;
  if (!(warningShare > 0 && warningShare < criticalShare && criticalShare < 1)) {
    invalid('Lateness shares satisfy 0 < warning < critical < 1.');
  }

  return {
    store: options.store,
    trail: options.trail,
    clock: options.clock ?? systemClock,
    rooms,
    groups,
    warningShare,
    criticalShare,
    dialect: dialectFor(options.store),
  };
}
