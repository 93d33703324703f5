// HTTP routes of the file exchange: download a signed XML batch of requests, upload one of answers.

import { organisationOf, type Certificate, type Principal } from '@interop-blocks/security';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AsyncError } from '../errors.js';
import { sendRefusal, toAsyncError } from '../http/refusal.js';
import { leaseForSource, ownedRoom, type RoomAccess } from '../http/source-access.js';
import type { ItemOutcome } from '../types.js';
import { buildRequestFile, type FileSigningOptions } from './build-request-file.js';
import { readAnswerFile, type ReadAnswerFileOptions } from './read-answer-file.js';

/** Options of {@link registerFileRoutes}. */
export interface FileRoutesOptions {
  access: RoomAccess;
  /** Who the connected source is (client certificate). */
  authenticate(request: FastifyRequest): Promise<Principal>;
  /** The hub's key and certificates that sign request files. */
  signing: FileSigningOptions;
  /** Trust source of answer file signatures, e.g. a `CertificateValidator`. */
  trust: ReadAnswerFileOptions['trust'];
  /** Maps a signer certificate to its registered principal. */
  resolvePrincipal(certificate: Certificate): Promise<Principal | undefined>;
  /** Largest answer file in bytes. Default 8 MiB. */
  maxBytes?: number;
}

/**
 * Registers `POST /async/v1/rooms/:room/files/requests?max=&visibilityMs=` (leases requests and
 * answers them as a signed `RequestBatch`, `application/xml`) and `POST
 * /async/v1/rooms/:room/files/answers` (an `AnswerBatch` as `application/xml`; checked whole
 * before any answer is recorded, so a rejected file changes nothing). Register it in its own
 * scope (`app.register(async (s) => registerFileRoutes(s, options))`).
 *
 * @example
 * ```ts
 * await app.register(async (scope) => registerFileRoutes(scope, { access, authenticate,
 *   signing: { privateKey, certificates }, trust: validator, resolvePrincipal }));
 * ```
 */
export async function registerFileRoutes(
  fastify: FastifyInstance,
  options: FileRoutesOptions,
): Promise<void> {
  const maxBytes = options.maxBytes ?? 8 * 1024 * 1024;
  fastify.addContentTypeParser(
    ['application/xml', 'text/xml'],
    { parseAs: 'buffer', bodyLimit: maxBytes },
    (_req, body, done) => done(null, body),
  );
  fastify.setErrorHandler((error, _request, reply) => sendRefusal(reply, toAsyncError(error)));

  const sourceOf = async (request: FastifyRequest): Promise<Principal> => {
    try {
      return await options.authenticate(request);
    } catch (cause) {
      throw new AsyncError(
        'ASYNC_CLIENT_UNAUTHENTICATED',
        'The client certificate is not accepted.',
        {
          cause,
        },
      );
    }
  };

  fastify.post<{ Params: { room: string }; Querystring: { max?: string; visibilityMs?: string } }>(
    '/async/v1/rooms/:room/files/requests',
    async (request, reply) => {
      const source = await sourceOf(request);
      const max = integer(request.query.max ?? '100', 'max', 1, 1000);
      const visibilityMs = integer(
        request.query.visibilityMs ?? '3600000',
        'visibilityMs',
        1000,
        86_400_000,
      );
      const lease = await leaseForSource(options.access, request.params.room, source, {
        max,
        visibilityMs,
      });
      return xml(reply, buildRequestFile(lease, options.signing));
    },
  );

  fastify.post<{ Params: { room: string } }>(
    '/async/v1/rooms/:room/files/answers',
    async (request, reply) => {
      const source = await sourceOf(request);
      const room = ownedRoom(options.access, request.params.room, source);
      if (!Buffer.isBuffer(request.body)) {
        throw new AsyncError('ASYNC_CONTENT_TYPE', 'Answer files are sent as application/xml.');
      }
      const file = await readAnswerFile(request.body, {
        room: room.id,
        owner: room.owner,
        trust: options.trust,
        resolvePrincipal: options.resolvePrincipal,
        maxBytes,
      });

      // TODO(async-file-atomic): answers and declines are two calls of the rooms; a crash between
      // them records the answers only. The file can be uploaded again: repeats are `duplicate`.
      const org = organisationOf(source);
      const outcomes: ItemOutcome[] = [
        ...(file.answers.length
          ? await options.access.rooms.answer(room.id, org, file.answers)
          : []),
        ...(file.declines.length
          ? await options.access.rooms.decline(room.id, org, file.declines)
          : []),
      ];
      return reply.send({ outcomes });
    },
  );
}

function integer(value: string, name: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new AsyncError(
      'ASYNC_BODY_INVALID',
      `${name} must be an integer from ${min} to ${max}.`,
      {
        context: { path: `/${name}`, keyword: 'range' },
      },
    );
  }
  return n;
}

function xml(reply: FastifyReply, body: string): FastifyReply {
  return reply.header('content-type', 'application/xml; charset=utf-8').send(body);
}
