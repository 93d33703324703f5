// Routes whose JSON bodies are JWS-signed both ways: the request checked, the answer signed.

import type { JwsSigner, JwsVerifier, Principal } from '@interop-blocks/security';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { BodyKind } from './body-schemas.js';
import { readSignedBody } from './read-signed-body.js';

/** The header that carries a detached JWS, on requests and on answers. */
export const SIGNATURE_HEADER = 'x-interop-signature';

declare module 'fastify' {
  interface FastifyRequest {
    consumer?: Principal;
  }
}

/** What a signed route's handler gets. */
export interface SignedContext<B, P> {
  consumer: Principal;
  body: B;
  params: P;
  signal: AbortSignal;
}

/** A registrar of signed POST routes, and the authentication hook for unsigned GETs. */
export interface SignedRoute {
  authenticate(request: FastifyRequest, reply: FastifyReply): Promise<void>;
  post<B, P = Record<string, string>>(
    path: string,
    kind: BodyKind,
    handler: (ctx: SignedContext<B, P>) => Promise<unknown>,
  ): void;
}

/**
 * Builds the registrar: every POST is authenticated, its body read as signed JSON, the handler
 * run, and its JSON answer signed and bound to the request body by hash.
 */
export function signedRoutes(
  fastify: FastifyInstance,
  options: {
    authenticate(request: FastifyRequest, reply: FastifyReply): Promise<void>;
    verifier: JwsVerifier<Principal>;
    signer: JwsSigner;
    bodyLimit: number;
  },
): SignedRoute {
  return {
    authenticate: options.authenticate,
    post(path, kind, handler) {
      fastify.post(path, { onRequest: options.authenticate }, async (request, reply) => {
        const controller = new AbortController();
        request.raw.once('close', () => request.raw.complete || controller.abort());
        const consumer = request.consumer!;
        const body = await readSignedBody<{ messageId: string }>({
          kind,
          consumer,
          body: request.body,
          signature: request.headers[SIGNATURE_HEADER],
          verifier: options.verifier,
          signal: controller.signal,
        });

        const result = await handler({
          consumer,
          body: body as never,
          params: request.params as never,
          signal: controller.signal,
        });

        const answer = Buffer.from(JSON.stringify(result));
        const signature = await options.signer.signAnswer(answer, {
          requestId: body.messageId,
          requestBody: request.body as Buffer,
        });
        return reply
          .header('content-type', 'application/json; charset=utf-8')
          .header(SIGNATURE_HEADER, signature)
          .send(answer);
      });
    },
  };
}
