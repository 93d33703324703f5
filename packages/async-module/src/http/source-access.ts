// What every source-side edge (HTTP, files, clerk page) checks before it touches a room.

import { organisationOf, type Principal, type Rights } from '@interop-blocks/security';
import { AsyncError } from '../errors.js';
import type { Lease, RoomDeclaration, WaitingRooms } from '../types.js';

/** The rooms behind the edges, their declarations and the rights that gate them. */
export interface RoomAccess {
  rooms: WaitingRooms;
  /** The same declarations the rooms were opened with. */
  declarations: readonly RoomDeclaration[];
  /** Named groups of rooms, as given to the rooms. */
  groups?: Record<string, string[]>;
  /** The Security Platform's rights: `query` for requesters, `answer` for sources. */
  rights: Rights;
}

/**
 * The declaration of a room the principal answers for.
 * @throws AsyncError `ASYNC_ROUTE_UNKNOWN` (no such room), `ASYNC_NOT_ROOM_OWNER`.
 */
export function ownedRoom(access: RoomAccess, room: string, principal: Principal): RoomDeclaration {
  const declaration = access.declarations.find((d) => d.id === room);
  if (!declaration) throw new AsyncError('ASYNC_ROUTE_UNKNOWN', 'No such room.');
  if (declaration.owner !== organisationOf(principal)) {
    throw new AsyncError('ASYNC_NOT_ROOM_OWNER', 'The principal does not answer for this room.', {
      context: { room: declaration.id },
    });
  }
  return declaration;
}

/**
 * Leases requests for a source and keeps only those its rights allow it to answer (`answer` on
 * the room for the request's purpose); the others are declined at once with the rights' reason
 * code, so that the requester gets a coded answer instead of a request that never ends.
 *
 * @throws AsyncError `ASYNC_ROUTE_UNKNOWN`, `ASYNC_NOT_ROOM_OWNER`, and the rooms' codes.
 */
export async function leaseForSource(
  access: RoomAccess,
  room: string,
  principal: Principal,
  options: { max: number; visibilityMs: number; signal?: AbortSignal },
): Promise<Lease> {
  ownedRoom(access, room, principal);
  const source = organisationOf(principal);
  const lease = await access.rooms.lease(room, source, options);

  const allowed = [];
  const refused = [];
  for (const request of lease.requests) {
    const query = request.query;
    const decision = query
      ? await access.rights.authorize(
          {
            principal: principal.id,
            action: 'answer',
            source: room,
            purpose: query.purpose,
            legalBasis: query.legalBasis,
            case: query.case,
            official: query.official,
          },
          { signal: options.signal },
        )
      : undefined;
    if (decision?.allowed) allowed.push(request);
    else refused.push({ request, code: decision?.reason.code ?? 'ASYNC_REQUEST_UNKNOWN' });
  }

  if (refused.length > 0) {
    await access.rooms.decline(
      room,
      source,
      refused.map(({ request, code }) => ({
        requestId: request.requestId,
        reason: { code, message: 'The source may not answer this request.' },
      })),
    );
  }
  return { ...lease, requests: allowed };
}
