// The Fastify plugin of the IO-Module: the query route, metaservices, health, coded errors.

import type { Principal } from '@interop-blocks/security';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { IoError } from '../errors.js';
import type { IoQueryService } from '../service/query-service.js';
import { httpStatusOf, refusalBody } from '../service/refusal.js';
import { registerMetaservices } from './metaservices.js';
import { toIoError } from './request-errors.js';
import { registerSoapRoutes } from './soap-routes.js';

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
  /**
   * The public base URL (`https://io.example.org`) for the endpoint in WSDL documents; default
   * the scheme and host of the request for the WSDL.
   */
  publicUrl?: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    consumer?: Principal;
  }
}

/**
 * Serves a distribution copy: `POST /io/v1/:dataset/query` (a JWS-signed batch query; the answer is
 * signed in the same header); when the service has a SOAP binding, `POST /io/v1/:dataset/soap`
 * (a WS-Security signed SOAP 1.1 query, answered by a signed envelope) and its WSDL at
 * `GET /io/v1/:dataset/soap?wsdl`; metaservices under `/io/v1/datasets`, `/io/v1/openapi.json`,
 * `/health` and `/ready`. Every refusal is a coded JSON body `{ error: { code, message } }`, or
 * on the SOAP routes a SOAP Fault with the code.
 *
 * @example
 * ```ts
 * const app = Fastify({ https: mtlsServerOptions({ key, certificateChain, trustAnchors }) });
 * await app.register(ioModulePlugin, { service, authenticate: (req) => authenticate(req.raw.socket)
 * });
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
    sendError(reply, toIoError(error, 'application/json')),
  );
  fastify.setNotFoundHandler((_request, reply) =>
    sendError(reply, new IoError('IO_DATASET_UNKNOWN', 'No such route or dataset.')),
  );

  // A refusal is thrown, so that the error handler of the route's binding writes it.
  const authenticate = async (request: FastifyRequest): Promise<void> => {
    try {
      request.consumer = await options.authenticate(request);
    } catch (cause) {
      const code = (cause as { code?: unknown }).code;
      throw new IoError('IO_CLIENT_UNAUTHENTICATED', 'The client certificate is not accepted.', {
        context: { reason: typeof code === 'string' ? code : null },
        cause,
      });
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

  if (options.service.servesSoap) {
    await fastify.register(registerSoapRoutes, { ...options, authenticate, bodyLimit });
  }
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
