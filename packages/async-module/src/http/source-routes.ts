// The source side of the HTTP API: lease, extend, answer and decline, for the rooms a source owns.

import { organisationOf } from '@interop-blocks/security';
import type { FastifyInstance } from 'fastify';
import type { SourceAnswer, SourceDecline } from '../types.js';
import type { SignedRoute } from './signed-route.js';
import { leaseForSource, ownedRoom, type RoomAccess } from './source-access.js';

type RoomParams = { room: string };

/** Registers the source routes under `/async/v1/rooms/:room`. */
export function registerSourceRoutes(
  fastify: FastifyInstance,
  access: RoomAccess,
  signed: SignedRoute,
): void {
  signed.post<{ max: number; visibilityMs: number }, RoomParams>(
    '/async/v1/rooms/:room/leases',
    'lease',
    async (ctx) =>
      leaseForSource(access, ctx.params.room, ctx.consumer, { ...ctx.body, signal: ctx.signal }),
  );

  signed.post<{ visibilityMs: number }, RoomParams & { leaseId: string }>(
    '/async/v1/rooms/:room/leases/:leaseId/extend',
    'extend',
    async (ctx) => {
      ownedRoom(access, ctx.params.room, ctx.consumer);
      return access.rooms.extendLease(
        ctx.params.leaseId,
        organisationOf(ctx.consumer),
        ctx.body.visibilityMs,
      );
    },
  );

  signed.post<{ answers: SourceAnswer[] }, RoomParams>(
    '/async/v1/rooms/:room/answers',
    'answer',
    async (ctx) => {
      ownedRoom(access, ctx.params.room, ctx.consumer);
      const outcomes = await access.rooms.answer(
        ctx.params.room,
        organisationOf(ctx.consumer),
        ctx.body.answers,
      );
      return { outcomes };
    },
  );

  signed.post<{ declines: SourceDecline[] }, RoomParams>(
    '/async/v1/rooms/:room/declines',
    'decline',
    async (ctx) => {
      ownedRoom(access, ctx.params.room, ctx.consumer);
      const outcomes = await access.rooms.decline(
        ctx.params.room,
        organisationOf(ctx.consumer),
        ctx.body.declines,
      );
      return { outcomes };
    },
  );

  fastify.get<{ Params: RoomParams; Querystring: { limit?: string } }>(
    '/async/v1/rooms/:room/late',
    { onRequest: signed.authenticate },
    async (request) => {
      ownedRoom(access, request.params.room, request.consumer!);
      return { late: await access.rooms.late({ room: request.params.room, limit: 1000 }) };
    },
  );
}
