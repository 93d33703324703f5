// The requester side of the HTTP API: submit (single, batch, group), cancel, pull, acknowledge.

import { organisationOf } from '@interop-blocks/security';
import type { FastifyInstance } from 'fastify';
import { AsyncError } from '../errors.js';
import { checkSubmissions, type RawSubmission } from './check-submissions.js';
import type { SignedRoute } from './signed-route.js';
import type { RoomAccess } from './source-access.js';

interface Bodies {
  submit: { requests: RawSubmission[] };
  group: RawSubmission;
  acknowledge: { cursor: string };
}

/** Registers the requester routes under `/async/v1`. */
export function registerRequesterRoutes(
  fastify: FastifyInstance,
  access: RoomAccess,
  signed: SignedRoute,
): void {
  signed.post<Bodies['submit']>('/async/v1/requests', 'submit', async (ctx) => {
    const inputs = await checkSubmissions(access, ctx.consumer, ctx.body.requests, {
      roomsOf: (query) => [query.source],
      signal: ctx.signal,
    });
    const results = await access.rooms.submit(inputs, { signal: ctx.signal });
    return { results };
  });

  signed.post<Bodies['group'], { group: string }>(
    '/async/v1/groups/:group/requests',
    'submitToGroup',
    async (ctx) => {
      const members = access.groups?.[ctx.params.group];
      if (!members) throw new AsyncError('ASYNC_ROUTE_UNKNOWN', 'No such group.');
      const [input] = await checkSubmissions(access, ctx.consumer, [ctx.body], {
        roomsOf: () => members,
        signal: ctx.signal,
      });
      return access.rooms.submitToGroup(ctx.params.group, input!, { signal: ctx.signal });
    },
  );

  signed.post<object, { requestId: string }>(
    '/async/v1/requests/:requestId/cancel',
    'cancel',
    async (ctx) => {
      await access.rooms.cancel(ctx.params.requestId, organisationOf(ctx.consumer), {
        signal: ctx.signal,
      });
      return { requestId: ctx.params.requestId, status: 'cancelled' };
    },
  );

  signed.post<Bodies['acknowledge']>(
    '/async/v1/answers/acknowledge',
    'acknowledge',
    async (ctx) => {
      const acknowledged = await access.rooms.acknowledge(
        organisationOf(ctx.consumer),
        ctx.body.cursor,
      );
      return { acknowledged };
    },
  );

  fastify.get<{ Querystring: { after?: string; limit?: string } }>(
    '/async/v1/answers',
    { onRequest: signed.authenticate },
    async (request) => {
      const limit = request.query.limit === undefined ? 100 : Number(request.query.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
        throw new AsyncError('ASYNC_BODY_INVALID', 'limit must be an integer from 1 to 1000.', {
          context: { path: '/limit', keyword: 'range' },
        });
      }
      // TODO(async-signed-get): answers to GETs are not signed (no request body to bind to);
      // each answer envelope carries the source's own signature where the source gave one.
      return access.rooms.pull(organisationOf(request.consumer!), {
        after: request.query.after,
        limit,
      });
    },
  );

  fastify.get<{ Params: { groupRequestId: string } }>(
    '/async/v1/groups/requests/:groupRequestId',
    { onRequest: signed.authenticate },
    async (request) => {
      // TODO(async-group-owner): the contract's GroupStatus does not name the requester, so any
      // authenticated requester who knows a group request id (a UUIDv7) can read its status.
      return access.rooms.groupStatus(request.params.groupRequestId);
    },
  );
}
