// The SOAP 1.1 routes of the IO-Module plugin: the query endpoint and its WSDL, refusals as Faults.

import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { IoError } from '../errors.js';
import type { IoQueryService } from '../service/query-service.js';
import { httpStatusOf } from '../service/refusal.js';
import { buildWsdl } from '../soap/build-wsdl.js';
import { soapFault } from '../soap/soap-fault.js';
import { toIoError } from './request-errors.js';

/** What the SOAP routes need from the plugin. */
export interface SoapRoutesOptions {
  service: IoQueryService;
  authenticate(request: FastifyRequest): Promise<void>;
  bodyLimit: number;
  publicUrl?: string;
}

const SOAP_MEDIA_TYPE = 'text/xml';

/**
 * Registers, in a context of their own (text/xml only, faults for errors):
 * `POST /io/v1/:dataset/soap`, a SOAP 1.1 query (SOAP 1.1 section 6: `text/xml`), answered by
 * the signed envelope; and `GET /io/v1/:dataset/soap?wsdl`, the dataset's WSDL. Both need an
 * authenticated consumer.
 *
 * Refusals are SOAP Faults with the IO_* code, sent with the refusal's 4xx status: SOAP 1.1
 * section 6.2 (and WS-I Basic Profile 1.1 R1126) send every Fault with 500, which would make
 * bad input look like a server failure. Only `IO_INTERNAL` is sent with 500.
 */
export async function registerSoapRoutes(
  fastify: FastifyInstance,
  options: SoapRoutesOptions,
): Promise<void> {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(
    SOAP_MEDIA_TYPE,
    { parseAs: 'buffer', bodyLimit: options.bodyLimit },
    (_req, body, done) => done(null, body),
  );
  fastify.setErrorHandler((error: FastifyError, _request, reply) =>
    sendFault(reply, toIoError(error, SOAP_MEDIA_TYPE)),
  );

  fastify.post<{ Params: { dataset: string } }>(
    '/io/v1/:dataset/soap',
    { onRequest: options.authenticate, bodyLimit: options.bodyLimit },
    async (request, reply) => {
      if (!Buffer.isBuffer(request.body)) {
        throw new IoError('IO_CONTENT_TYPE', `SOAP queries are sent as ${SOAP_MEDIA_TYPE}.`);
      }
      const controller = new AbortController();
      request.raw.once('close', () => request.raw.complete || controller.abort());
      const answer = await options.service.handleSoapQuery({
        consumer: request.consumer!,
        dataset: request.params.dataset,
        body: request.body,
        signal: controller.signal,
      });
      return reply.header('content-type', 'text/xml; charset=utf-8').send(answer.body);
    },
  );

  fastify.get<{ Params: { dataset: string } }>(
    '/io/v1/:dataset/soap',
    { onRequest: options.authenticate },
    async (request, reply) => {
      const dataset = options.service.copy.dataset(request.params.dataset);
      const base = options.publicUrl ?? `${request.protocol}://${request.host}`;
      const endpoint = `${base.replace(/\/+$/, '')}/io/v1/${dataset.id}/soap`;
      return reply
        .header('content-type', 'text/xml; charset=utf-8')
        .send(buildWsdl(dataset, endpoint));
    },
  );
}

async function sendFault(reply: FastifyReply, err: IoError): Promise<void> {
  const retryAfterMs = err.context.retryAfterMs;
  if (typeof retryAfterMs === 'number') {
    reply.header('retry-after', String(Math.ceil(retryAfterMs / 1000)));
  }
  await reply
    .code(httpStatusOf(err.code))
    .header('content-type', 'text/xml; charset=utf-8')
    .send(soapFault(err));
}
