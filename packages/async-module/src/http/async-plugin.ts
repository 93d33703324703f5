// The Fastify plugin of the Asynchronous Module: requester and source routes, coded refusals.

import type { JwsSigner, JwsVerifier, Principal } from '@interop-blocks/security';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AsyncError } from '../errors.js';
import { registerRequesterRoutes } from './requester-routes.js';
import { sendRefusal, toAsyncError } from './refusal.js';
import { signedRoutes } from './signed-route.js';
import type { RoomAccess } from './source-access.js';
import { registerSourceRoutes } from './source-routes.js';

/** Options of {@link asyncModulePlugin}. */
export interface AsyncModulePluginOptions extends RoomAccess {
  /**
   * Who the connected client is, e.g. `authenticatePeer` on the TLS socket with the rights
   * registry's principal directory. Throw (any error) to refuse with
   * `ASYNC_CLIENT_UNAUTHENTICATED`.
   */
  authenticate(request: FastifyRequest): Promise<Principal>;
  /** Verifies body signatures; its `resolvePrincipal` maps the signer to a registered principal. */
  verifier: JwsVerifier<Principal>;
  /** Signs the JSON answers of the hub. */
  signer: JwsSigner;
  /** Largest body in bytes. Default 1 MiB. */
  bodyLimit?: number;
}

/**
 * Serves the waiting rooms over HTTPS. Requesters: `POST /async/v1/requests` (single or batch),
 * `POST /async/v1/groups/:group/requests`, `POST /async/v1/requests/:id/cancel`,
 * `GET /async/v1/answers?after=&limit=`, `POST /async/v1/answers/acknowledge`,
 * `GET /async/v1/groups/requests/:groupRequestId`. Sources, for the rooms they own:
 * `POST /async/v1/rooms/:room/leases`, `.../leases/:leaseId/extend`, `.../answers`,
 * `.../declines`, `GET .../late`. Every POST body is JSON signed with a detached JWS in
 * `x-interop-signature` binding its `messageId`; every answer to a POST is signed the same way.
 * Every refusal is a coded JSON body `{ error: { code, message, context } }` and changes nothing.
 *
 * @example
 * ```ts
 * const app = Fastify({ https: mtlsServerOptions({ key, certificateChain, trustAnchors }) });
 * await app.register(asyncModulePlugin, { rooms, declarations, rights, verifier, signer,
 *   authenticate: (req) => authenticate(req.raw.socket) });
 * ```
 */
export async function asyncModulePlugin(
  fastify: FastifyInstance,
  options: AsyncModulePluginOptions,
): Promise<void> {
  const bodyLimit = options.bodyLimit ?? 1024 * 1024;

  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer', bodyLimit },
    (_req, body, done) => done(null, body),
  );
  fastify.setErrorHandler((error, _request, reply) => sendRefusal(reply, toAsyncError(error)));
  fastify.setNotFoundHandler((_request, reply) =>
    sendRefusal(reply, new AsyncError('ASYNC_ROUTE_UNKNOWN', 'No such route.')),
  );

  const authenticate = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    try {
      request.consumer = await options.authenticate(request);
    } catch (cause) {
      const code = (cause as { code?: unknown }).code;
      await sendRefusal(
        reply,
        new AsyncError('ASYNC_CLIENT_UNAUTHENTICATED', 'The client certificate is not accepted.', {
          context: { reason: typeof code === 'string' ? code : null },
          cause,
        }),
      );
    }
  };

  const signed = signedRoutes(fastify, { ...options, authenticate, bodyLimit });
  registerRequesterRoutes(fastify, options, signed);
  registerSourceRoutes(fastify, options, signed);
}
