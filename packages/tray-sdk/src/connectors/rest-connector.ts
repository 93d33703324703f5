// The generic REST/JSON connector: requests from the catalogue's template, answers as the source
// shapes them.

import type { Connector, ConnectorContext, Enquiry, RawOutcome } from './connector.js';
import { isFailure, parseJson } from './answer-envelopes.js';
import { sha256Base64url } from './evidence.js';
import { exchange } from './http-exchange.js';
import {
  failAll,
  failedOutcome,
  failureOfStatus,
  groupByJustification,
  permanent,
  refusalOf,
  type Failure,
} from './outcomes.js';
import {
  TemplateError,
  fillJson,
  fillText,
  isBatchTemplate,
  templateValues,
} from './request-template.js';
import type { SourcePools } from './source-pools.js';

type RestTransport = Extract<
  ConnectorContext['source']['declaration']['transport'],
  { kind: 'rest' }
>;

/**
 * Creates the connector of `rest` transports. Each enquiry is one request: the `query` and
 * `headers` templates filled (query values percent-encoded; a parameter that fills to the empty
 * string is left out) and, for POST, the `body` template filled. A body template holding the
 * string `"{{subjects}}"` sends one request per group of enquiries sharing a justification,
 * with the subjects as `[{ scheme, id }]`; its answer must be a JSON array with one item per
 * subject in order (`null`: not found). 200 is `found` with the JSON as the source shaped it (the
 * engine applies the catalogue mapping), 404 and 204 are `not_found`.
 *
 * @example
 * ```ts
 * const rest = createRestConnector({ pools: new SourcePools() });
 * ```
 */
export function createRestConnector(options: { pools: SourcePools }): Connector {
  return {
    kind: 'rest',
    async send(batch, context) {
      const transport = context.source.declaration.transport;
      if (transport.kind !== 'rest') {
        return failAll(batch, permanent('TRAY_REQUEST_INVALID', 'The source is not REST.'));
      }
      const batched = transport.method === 'POST' && isBatchTemplate(transport.body);
      const groups = batched ? groupByJustification(batch) : batch.map((e) => [e]);
      const results = await Promise.all(
        groups.map((group) => sendRest(group, transport, context, options.pools, batched)),
      );
      return results.flat();
    },
    close: () => options.pools.close(),
  };
}

async function sendRest(
  group: Enquiry[],
  transport: RestTransport,
  context: ConnectorContext,
  pools: SourcePools,
  batched: boolean,
): Promise<RawOutcome[]> {
  let url: string;
  let headers: Record<string, string>;
  let body: Buffer | undefined;
  try {
    const values = templateValues(group[0]!);
    const target = new URL(transport.url);
    for (const [name, template] of Object.entries(transport.query ?? {})) {
      const value = fillText(template, values);
      if (value !== '') target.searchParams.append(name, value);
    }
    url = target.toString();
    headers = { accept: 'application/json' };
    for (const [name, template] of Object.entries(transport.headers ?? {})) {
      headers[name.toLowerCase()] = fillText(template, values);
    }
    if (transport.method === 'POST') {
      body = Buffer.from(JSON.stringify(fillJson(transport.body ?? {}, group)));
      headers['content-type'] = 'application/json';
    }
  } catch (err) {
    if (!(err instanceof TemplateError)) throw err;
    return failAll(group, permanent('TRAY_REQUEST_INVALID', err.message));
  }

  const result = await exchange({
    url,
    method: transport.method,
    headers,
    body,
    dispatcher: pools.agentFor(context.source),
    signal: context.signal,
  });
  if (!result.ok) return failAll(group, result.failure);
  const { reply } = result;
  const evidence = {
    requestHash: sha256Base64url(body ?? `${transport.method} ${url}`),
    answerHash: sha256Base64url(reply.body),
  };
  if (reply.status === 404 || reply.status === 204) {
    return group.map((e) => ({ requestId: e.requestId, status: 'not_found', evidence }));
  }
  if (reply.status !== 200) {
    const refusal = refusalOf(reply.body);
    return failAll(group, failureOfStatus(reply.status, refusal.code, refusal.message));
  }

  const data = parseJson(reply.body);
  if (data === undefined) {
    return failAll(group, permanent('TRAY_ANSWER_MALFORMED', 'The answer is not JSON.'));
  }
  if (!batched) return [{ requestId: group[0]!.requestId, status: 'found', data, evidence }];
  const items = batchItems(data, group.length);
  if (isFailure(items)) return group.map((e) => failedOutcome(e.requestId, items));
  return group.map((e, i) =>
    items[i] === null
      ? { requestId: e.requestId, status: 'not_found', evidence }
      : { requestId: e.requestId, status: 'found', data: items[i], evidence },
  );
}

function batchItems(data: unknown, count: number): unknown[] | Failure {
  if (!Array.isArray(data)) {
    return permanent('TRAY_ANSWER_MALFORMED', 'A batch answer must be a JSON array.');
  }
  if (data.length !== count) {
    return permanent('TRAY_ANSWER_MISMATCH', 'A batch answer has another number of items.');
  }
  return data as unknown[];
}
