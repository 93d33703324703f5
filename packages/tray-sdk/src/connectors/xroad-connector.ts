// The X-Road connector: the X-Road Message Protocol for REST (PR-REST r1) through a security
// server.

import type { QueryEnvelope } from '@interop-blocks/core';
import type { Connector, ConnectorContext, Enquiry, RawOutcome } from './connector.js';
import { parseJson } from './answer-envelopes.js';
import { sha256Base64url } from './evidence.js';
import { exchange, headerOf, type HttpReply } from './http-exchange.js';
import {
  failAll,
  failedOutcome,
  failureOfStatus,
  permanent,
  refusalOf,
  type Failure,
} from './outcomes.js';
import { TemplateError, fillText, hasPlaceholder, templateValues } from './request-template.js';
import type { SourcePools } from './source-pools.js';

type XRoadTransport = Extract<
  ConnectorContext['source']['declaration']['transport'],
  { kind: 'xroad' }
>;

/**
 * Creates the connector of `xroad` transports, one request per enquiry, per PR-REST 4.1:
 * `{securityServer}/r1/{serviceId}{path}` with the service id's parts percent-encoded one by one
 * (4.2), and the headers of 4.3: `X-Road-Client` (the enquiring subsystem, mandatory),
 * `X-Road-Id` (the enquiry's request id, the same on every attempt), `X-Road-UserId` (the
 * official) and `X-Road-Issue` (the case reference). A path with placeholders
 * (`/persons/{{subject.id}}/balance`) is sent as GET; a path without them as POST with the core
 * query envelope as JSON body, which keeps the identifier out of URLs and logs.
 *
 * Answers: 200 is `found` (JSON), 404 from the provider is `not_found`. Errors of the security
 * servers (PR-REST 4.6, flagged by `X-Road-Error`) fail with `TRAY_XROAD_ERROR` and their `type`;
 * `Server.*` errors with a 5xx are retryable, `Client.*` ones are not.
 *
 * @example
 * ```ts
 * const xroad = createXRoadConnector({ pools: new SourcePools({ tls }) });
 * ```
 */
export function createXRoadConnector(options: { pools: SourcePools }): Connector {
  return {
    kind: 'xroad',
    async send(batch, context) {
      const transport = context.source.declaration.transport;
      if (transport.kind !== 'xroad') {
        return failAll(batch, permanent('TRAY_REQUEST_INVALID', 'The source is not X-Road.'));
      }
      return Promise.all(batch.map((e) => sendXRoad(e, transport, context, options.pools)));
    },
    close: () => options.pools.close(),
  };
}

/** Percent-encodes each part of an X-Road identifier, keeping the `/` separators (PR-REST 4.2). */
export function encodeXRoadId(id: string): string {
  return id.split('/').map(encodeURIComponent).join('/');
}

async function sendXRoad(
  enquiry: Enquiry,
  transport: XRoadTransport,
  context: ConnectorContext,
  pools: SourcePools,
): Promise<RawOutcome> {
  const byPath = hasPlaceholder(transport.path);
  let path: string;
  try {
    path = fillText(transport.path, templateValues(enquiry), encodeURIComponent);
  } catch (err) {
    if (!(err instanceof TemplateError)) throw err;
    return failedOutcome(enquiry.requestId, permanent('TRAY_REQUEST_INVALID', err.message));
  }
  const base = transport.securityServer.replace(/\/+$/, '');
  const url = `${base}/r1/${encodeXRoadId(transport.service)}${path}`;
  const headers: Record<string, string> = {
    accept: 'application/json',
    'x-road-client': encodeXRoadId(transport.client),
    'x-road-id': enquiry.requestId,
    'x-road-userid': enquiry.official,
    'x-road-issue': enquiry.case,
  };
  const body = byPath ? undefined : Buffer.from(JSON.stringify(envelopeOf(enquiry)));
  if (body) headers['content-type'] = 'application/json; charset=utf-8';

  const result = await exchange({
    url,
    method: byPath ? 'GET' : 'POST',
    headers,
    body,
    dispatcher: pools.agentFor(context.source),
    signal: context.signal,
  });
  if (!result.ok) return failedOutcome(enquiry.requestId, result.failure);
  const { reply } = result;
  const xroadError = headerOf(reply.headers, 'x-road-error');
  if (xroadError !== undefined) return failedOutcome(enquiry.requestId, xroadFailure(reply));

  const evidence = {
    requestHash: sha256Base64url(body ?? `GET ${url}`),
    answerHash: sha256Base64url(reply.body),
  };
  if (reply.status === 404) return { requestId: enquiry.requestId, status: 'not_found', evidence };
  if (reply.status !== 200) {
    const refusal = refusalOf(reply.body);
    return failedOutcome(
      enquiry.requestId,
      failureOfStatus(reply.status, refusal.code, refusal.message),
    );
  }
  const data = parseJson(reply.body);
  if (data === undefined) {
    return failedOutcome(enquiry.requestId, permanent('TRAY_ANSWER_MALFORMED', 'Not JSON.'));
  }
  return { requestId: enquiry.requestId, status: 'found', data, evidence };
}

// PR-REST 4.6: an error of a security server carries X-Road-Error and `{ type, message, detail }`.
function xroadFailure(reply: HttpReply): Failure {
  const parsed = parseJson(reply.body) as { type?: unknown } | undefined;
  const type =
    typeof parsed?.type === 'string'
      ? parsed.type
      : (headerOf(reply.headers, 'x-road-error') ?? '');
  const retryable = (reply.status >= 500 || reply.status === 429) && !type.startsWith('Client.');
  return {
    code: 'TRAY_XROAD_ERROR',
    message: `${type.slice(0, 200)} (HTTP ${reply.status}).`,
    retryable,
  };
}

function envelopeOf(enquiry: Enquiry): QueryEnvelope {
  return {
    requestId: enquiry.requestId,
    issuedAt: enquiry.issuedAt,
    source: enquiry.source,
    subject: enquiry.subject,
    purpose: enquiry.purpose,
    legalBasis: enquiry.legalBasis,
    case: enquiry.case,
    organisation: enquiry.organisation,
    official: enquiry.official,
    ...(enquiry.period ? { period: enquiry.period } : {}),
    ...(enquiry.referenceDate ? { referenceDate: enquiry.referenceDate } : {}),
  };
}
