// The Fastify plugin of the IO-Module: the query route, metaservices, health, coded errors.

import type { Principal } from '@interop-blocks/security';
import { diagnosticsChannelFor } from '@interop-blocks/core';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { IoError } from '../errors.js';
import type { IoQueryService } from '../service/query-service.js';
import { httpStatusOf, refusalBody } from '../service/refusal.js';
import { registerMetaservices } from './metaservices.js';

/** `{ error }` for every unexpected error answered as `IO_INTERNAL` (for operators' logs). */
const internalError = diagnosticsChannelFor('io', 'query', 'internal-error');

/** The header that carries a detached JWS, on queries and on answers. */
export const SIGNATURE_HEADER = 'x-interop-signature';

/** Options of {@link ioModulePlugin}. */
export interface IoModulePluginOptions {
  service: IoQueryService;
  /**
   * Who the connected consumer is, e.g. `authenticatePeer` on the TLS socket with the rights
   * registry's principal directory. Throw (any error) to refuse with `IO_CLIENT_UNAUTHENTICATED`.
   */
  authenticate(request: FastifyRequest): Promise<Principal>;
  /** Largest query body in bytes. Default 1 MiB. */
  bodyLimit?: number;
  /** Extra health checks (certificates, trail); each resolves true when healthy. */
  healthChecks?: Record<string, () => Promise<boolean>>;
  /** When true, `/ready` answers 503 (maintenance). */
  maintenance?: () => boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    consumer?: Principal;
  }
}

/**
 * Serves a distribution copy: `POST /io/v1/:dataset/query` (a JWS-signed batch query; the answer is
 * signed in the same header), metaservices under `/io/v1/datasets`, `/io/v1/openapi.json`,
 * `/health` and `/ready`. Every refusal is a coded JSON body `{ error: { code, message } }`.
 *
 * @example
 * ```ts
 * const app = Fastify({ https: mtlsServerOptions({ key, certificateChain, trustAnchors }) });
 * await app.register(ioModulePlugin, { service, authenticate: (req) => authenticate(req.raw.socket) });
 * ```
 */
export async function ioModulePlugin(
  fastify: FastifyInstance,
  options: IoModulePluginOptions,
): Promise<void> {
  const bodyLimit = options.bodyLimit ?? 1024 * 1024;

  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer', bodyLimit },
    (_req, body, done) => done(null, body),
  );
  fastify.setErrorHandler((error: FastifyError, _request, reply) =>
    sendError(reply, toIoError(error)),
  );
  fastify.setNotFoundHandler((_request, reply) =>
    sendError(reply, new IoError('IO_DATASET_UNKNOWN', 'No such route or dataset.')),
  );

  const authenticate = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    try {
      request.consumer = await options.authenticate(request);
    } catch (cause) {
      const code = (cause as { code?: unknown }).code;
      await sendError(
        reply,
        new IoError('IO_CLIENT_UNAUTHENTICATED', 'The client certificate is not accepted.', {
          context: { reason: typeof code === 'string' ? code : null },
          cause,
        }),
      );
    }
  };

  fastify.post<{ Params: { dataset: string } }>(
    '/io/v1/:dataset/query',
    { onRequest: authenticate, bodyLimit },
    async (request, reply) => {
      if (!Buffer.isBuffer(request.body)) {
        throw new IoError('IO_CONTENT_TYPE', 'Queries are sent as application/json.');
      }
      const signature = request.headers[SIGNATURE_HEADER];
      const controller = new AbortController();
      request.raw.once('close', () => request.raw.complete || controller.abort());
      const answer = await options.service.handleQuery({
        consumer: request.consumer!,
        dataset: request.params.dataset,
        body: request.body,
        signature: typeof signature === 'string' ? signature : undefined,
        signal: controller.signal,
      });
      return reply
        .header('content-type', 'application/json; charset=utf-8')
        .header(SIGNATURE_HEADER, answer.signature)
        .send(answer.body);
    },
  );

  // TODO(io-soap): the SOAP 1.1 binding of the same query (WSDL generated from the declaration,
  // XML-DSig both ways with the Security Platform's signSoapEnvelope/verifySoapEnvelope).
  registerMetaservices(fastify, { ...options, authenticate });
}

async function sendError(reply: FastifyReply, err: IoError): Promise<void> {
  const status = httpStatusOf(err.code);
  const retryAfterMs = err.context.retryAfterMs;
  if (typeof retryAfterMs === 'number')
    reply.header('retry-after', String(Math.ceil(retryAfterMs / 1000)));
  await reply
    .code(status)
    .header('content-type', 'application/json; charset=utf-8')
    .send(refusalBody(err));
}

function toIoError(error: FastifyError): IoError {
  if (error instanceof IoError) return error;
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new IoError('IO_CONTENT_TYPE', 'Queries are sent as application/json.');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new IoError('IO_BODY_TOO_LARGE', 'The body is larger than allowed.');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new IoError('IO_JSON_MALFORMED', 'The body is not a JSON object.');
    default:
      if (internalError.hasSubscribers) internalError.publish({ error });
      return new IoError('IO_INTERNAL', 'The request could not be answered.', { cause: error });
  }
}
