// The clerk's web page: server-rendered forms to answer a room's waiting requests by hand.

import { systemClock, createAjv, type Clock } from '@interop-blocks/core';
import { organisationOf, type Principal } from '@interop-blocks/security';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AsyncError } from '../errors.js';
import { httpStatusOf, toAsyncError } from '../http/refusal.js';
import { leaseForSource, ownedRoom, type RoomAccess } from '../http/source-access.js';
import type { RoomRequest } from '../types.js';
import {
  ClerkSessions,
  SESSION_COOKIE,
  readCookie,
  tokenMatches,
  type ClerkSession,
} from './clerk-sessions.js';
import { CLERK_CSP, escapeHtml, page } from './html.js';
import { renderRoom, renderRoomList, type RoomNotice } from './render-room.js';
import { readSchemaFields } from './schema-form.js';

/** Options of {@link registerClerkPage}. */
export interface ClerkPageOptions {
  access: RoomAccess;
  /** Who the connected clerk is (client certificate), e.g. `authenticatePeer` on the socket. */
  authenticate(request: FastifyRequest): Promise<Principal>;
  /** Where the page lives. Default `/clerk`. */
  prefix?: string;
  /** Requests taken into work at a time. Default 20. */
  batch?: number;
  /** How long taken requests stay hidden from others. Default 30 minutes. */
  visibilityMs?: number;
  /** Session lifetime without activity. Default 30 minutes. */
  sessionTtlMs?: number;
  clock?: Clock;
}

/**
 * Registers the clerk page: `GET {prefix}/` lists the rooms of the clerk's organisation,
 * `GET {prefix}/rooms/:room` takes up to `batch` waiting requests into work (a lease) and shows
 * one form per request, generated from the room's answer schema; `POST
 * {prefix}/rooms/:room/answers` answers one request. The clerk is authenticated by client
 * certificate on every request; forms are accepted only from the same origin and with the
 * session's token (cookie `SameSite=Strict`, synchroniser token). No script, no external asset.
 *
 * @throws nothing itself; refusals are HTML pages with the code: `ASYNC_CLIENT_UNAUTHENTICATED`,
 *   `ASYNC_CLERK_FORBIDDEN`, `ASYNC_CLERK_CSRF`, `ASYNC_CLERK_FORM_INVALID`.
 * @example
 * ```ts
 * await app.register(async (scope) => registerClerkPage(scope, { access, authenticate }));
 * ```
 */
export async function registerClerkPage(
  fastify: FastifyInstance,
  options: ClerkPageOptions,
): Promise<void> {
  const prefix = options.prefix ?? '/clerk';
  const clock = options.clock ?? systemClock;
  const sessions = new ClerkSessions(options.sessionTtlMs ?? 30 * 60_000);
  const ajv = createAjv();
  const validators = new Map(
    options.access.declarations.map((d) => [d.id, ajv.compile(d.answerSchema)]),
  );

  fastify.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: 64 * 1024 },
    (_req, body, done) => done(null, new URLSearchParams(body as string)),
  );
  fastify.setErrorHandler((error, _request, reply) => sendPage(reply, toAsyncError(error)));

  const clerkOf = async (request: FastifyRequest): Promise<Principal> => {
    try {
      return await options.authenticate(request);
    } catch (cause) {
      throw new AsyncError(
        'ASYNC_CLIENT_UNAUTHENTICATED',
        'The client certificate is not accepted.',
        { cause },
      );
    }
  };
  const roomOf = (room: string, clerk: Principal) => {
    try {
      return ownedRoom(options.access, room, clerk);
    } catch (err) {
      if (!(err instanceof AsyncError) || err.code !== 'ASYNC_NOT_ROOM_OWNER') throw err;
      throw new AsyncError('ASYNC_CLERK_FORBIDDEN', 'You are not a clerk of this room.');
    }
  };

  fastify.get(`${prefix}/`, async (request, reply) => {
    const clerk = await clerkOf(request);
    const org = organisationOf(clerk);
    const rooms = options.access.declarations.filter((d) => d.owner === org);
    return html(reply, renderRoomList(prefix, rooms));
  });

  fastify.get<{ Params: { room: string }; Querystring: { answered?: string } }>(
    `${prefix}/rooms/:room`,
    async (request, reply) => {
      const clerk = await clerkOf(request);
      const room = roomOf(request.params.room, clerk);
      const session = sessions.open(
        readCookie(request.headers.cookie, SESSION_COOKIE),
        clerk.id,
        clock.now(),
      );
      const requests = await work(session, room.id, clerk);
      const notice: RoomNotice | undefined =
        request.query.answered === '1'
          ? { kind: 'notice', text: 'The answer was recorded.' }
          : undefined;
      setCookie(reply, session, prefix);
      return html(reply, renderRoom(prefix, room, requests, session.csrfToken, notice));
    },
  );

  fastify.post<{ Params: { room: string }; Body: URLSearchParams }>(
    `${prefix}/rooms/:room/answers`,
    async (request, reply) => {
      const clerk = await clerkOf(request);
      const room = roomOf(request.params.room, clerk);
      const form = request.body;
      const session = sessions.find(
        readCookie(request.headers.cookie, SESSION_COOKIE),
        clerk.id,
        clock.now(),
      );
      if (
        !(form instanceof URLSearchParams) ||
        !session ||
        !sameOrigin(request) ||
        !tokenMatches(session, form.get('csrf'))
      ) {
        throw new AsyncError(
          'ASYNC_CLERK_CSRF',
          'The form is not from this page; reload the page.',
        );
      }

      const requestId = form.get('requestId') ?? '';
      const taken = session.work.get(room.id)?.requests ?? [];
      const chosen = taken.find((r) => r.requestId === requestId);
      const status = form.get('status');
      if (!chosen || (status !== 'found' && status !== 'not_found')) {
        throw new AsyncError(
          'ASYNC_CLERK_FORM_INVALID',
          'The form names no request in your work or no answer.',
        );
      }
      const data = status === 'found' ? readSchemaFields(room.answerSchema, form) : undefined;
      const validate = validators.get(room.id)!;
      if (data !== undefined && !validate(data)) {
        const [first] = validate.errors ?? [];
        const field = first?.instancePath.slice(1) || String(first?.params?.missingProperty ?? '');
        const notice = {
          kind: 'error' as const,
          text: `The answer is not valid: ${field || 'data'} ${first?.message ?? ''}.`,
        };
        setCookie(reply, session, prefix);
        return html(reply.code(400), renderRoom(prefix, room, taken, session.csrfToken, notice));
      }

      const [outcome] = await options.access.rooms.answer(room.id, organisationOf(clerk), [
        { requestId, status, ...(data !== undefined ? { data } : {}) },
      ]);
      session.work.set(room.id, {
        until: session.work.get(room.id)!.until,
        requests: taken.filter((r) => r !== chosen),
      });
      if (outcome && outcome.outcome === 'refused') {
        const notice = {
          kind: 'error' as const,
          text: `The answer was refused (${outcome.code}).`,
        };
        return html(
          reply.code(409),
          renderRoom(prefix, room, session.work.get(room.id)!.requests, session.csrfToken, notice),
        );
      }
      return reply
        .code(303)
        .header('location', `${prefix}/rooms/${encodeURIComponent(room.id)}?answered=1`)
        .send();
    },
  );

  /** The requests in the clerk's work for a room, taking new ones when none are left. */
  async function work(
    session: ClerkSession,
    room: string,
    clerk: Principal,
  ): Promise<RoomRequest[]> {
    const current = session.work.get(room);
    if (current && current.until > clock.now() && current.requests.length > 0)
      return current.requests;
    const lease = await leaseForSource(options.access, room, clerk, {
      max: options.batch ?? 20,
      visibilityMs: options.visibilityMs ?? 30 * 60_000,
    });
    const requests = lease.requests.filter((r) => r.query !== null);
    session.work.set(room, { until: lease.until, requests });
    return requests;
  }
}

/** Same-origin POST: the browser's Origin (or Fetch Metadata) names this host. */
function sameOrigin(request: FastifyRequest): boolean {
  const site = request.headers['sec-fetch-site'];
  if (typeof site === 'string' && site !== 'same-origin') return false;
  const origin = request.headers.origin;
  if (origin === undefined) return site === 'same-origin';
  return origin === `https://${request.headers.host ?? ''}`;
}

function setCookie(reply: FastifyReply, session: ClerkSession, prefix: string): void {
  reply.header(
    'set-cookie',
    `${SESSION_COOKIE}=${session.id}; Path=${prefix}; Secure; HttpOnly; SameSite=Strict`,
  );
}

function html(reply: FastifyReply, body: string): FastifyReply {
  return reply
    .header('content-type', 'text/html; charset=utf-8')
    .header('content-security-policy', CLERK_CSP)
    .header('cache-control', 'no-store')
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'same-origin')
    .send(body);
}

function sendPage(reply: FastifyReply, err: AsyncError): FastifyReply {
  const body = page(
    'The request was refused',
    `<p class="error" role="alert">${escapeHtml(err.message)} (${escapeHtml(err.code)})</p>`,
  );
  return html(reply.code(httpStatusOf(err.code)), body);
}
