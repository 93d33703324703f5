// The Asynchronous Module connector: submit to the waiting room, then collect answers by pull or
// callback.

import { InteropError, newId, type Clock, type QueryEnvelope } from '@interop-blocks/core';
import type { JwsSigner, JwsVerifier } from '@interop-blocks/security';
import type { Source } from '../catalogue/define-catalogue.js';
import {
  checkAnswerEnvelope,
  isFailure,
  outcomeOfEnvelope,
  parseJson,
} from './answer-envelopes.js';
import type { AsyncCallbackReceiver } from './async-callback-receiver.js';
import type { Connector, ConnectorContext, Enquiry, RawOutcome } from './connector.js';
import { sha256Base64url } from './evidence.js';
import { exchange, headerOf } from './http-exchange.js';
import { failAll, failedOutcome, failureOfStatus, permanent, refusalOf } from './outcomes.js';
import type { SourcePools } from './source-pools.js';

const SIGNATURE_HEADER = 'x-interop-signature';

/** What the async connector needs. */
export interface AsyncConnectorOptions {
  pools: SourcePools;
  signer: JwsSigner;
  /** Verifies the hub's signatures on its answers to submissions and acknowledgements. */
  verifier: JwsVerifier<unknown>;
  /** The enquirer's callback URL, sent with submissions of `callback` sources. */
  callbackUrl?: string;
  /** Where callbacks arrive; `collect()` drains it for `callback` sources. */
  receiver?: AsyncCallbackReceiver;
  /** Answers pulled per call. Default 100. */
  pageSize?: number;
}

interface HubState {
  /** The last cursor handed to the engine, to pull after. */
  cursor?: string;
  /** A cursor whose answers were handed out and are acknowledged on the next call. */
  unacknowledged?: string;
  queue: Promise<unknown>;
}

type AsyncTransport = Extract<Source['declaration']['transport'], { kind: 'async' }>;

/**
 * Creates the connector of `async` transports (the Asynchronous Module's HTTP API, JSON + JWS
 * over mutual TLS). `send` submits the batch in one signed `POST /async/v1/requests` (each query
 * a core query envelope to the room `transport.room ?? source.id`, with the deadline
 * `now + limits.deadlineMs`, and the callback URL for `callback` sources) and reports `waiting`.
 *
 * `collect` returns answers that arrived: for `pull`, a page of `GET /async/v1/answers` after the
 * last cursor. A page is acknowledged (its payloads purged at the hub) only on the next call, once
 * the engine recorded it; after a restart the unacknowledged answers come again and the engine
 * records each once (by request id). Pull is per requester, so a page may hold answers of other
 * rooms of the same hub: they are returned too, and matched by request id. For `callback`, the
 * receiver's queue is drained.
 *
 * @example
 * ```ts
 * const async = createAsyncConnector({ pools, signer, verifier });
 * ```
 */
export function createAsyncConnector(options: AsyncConnectorOptions): Connector {
  const hubs = new Map<string, HubState>();

  return {
    kind: 'async',
    async send(batch, context) {
      const transport = context.source.declaration.transport;
      if (transport.kind !== 'async') {
        return failAll(batch, permanent('TRAY_REQUEST_INVALID', 'The source is not async.'));
      }
      return submit(batch, transport, context, options);
    },
    async collect(source, context) {
      const transport = source.declaration.transport;
      if (transport.kind !== 'async') return [];
      if (transport.delivery === 'callback') return options.receiver?.drain() ?? [];

      const hub = transport.url.replace(/\/+$/, '');
      let state = hubs.get(hub);
      if (!state) {
        state = { queue: Promise.resolve() };
        hubs.set(hub, state);
      }
      const run = state.queue.then(() => pull(hub, state, source, context, options));
      state.queue = run.catch(() => undefined);
      return run;
    },
    close: () => options.pools.close(),
  };
}

async function submit(
  batch: readonly Enquiry[],
  transport: AsyncTransport,
  context: ConnectorContext,
  options: AsyncConnectorOptions,
): Promise<RawOutcome[]> {
  const deadline = context.clock.now() + context.source.limits.deadlineMs;
  const room = transport.room ?? context.source.id;
  const messageId = batch[0]!.requestId;
  const callback =
    transport.delivery === 'callback' && options.callbackUrl
      ? { callbackUrl: options.callbackUrl }
      : {};
  const body = {
    messageId,
    requests: batch.map((e) => ({ query: envelopeOf(e, room), deadline, ...callback })),
  };
  const reply = await signedPost(`${transport.url.replace(/\/+$/, '')}/async/v1/requests`, body, {
    ...options,
    source: context.source,
    signal: context.signal,
  });
  if ('failure' in reply) return failAll(batch, reply.failure);

  const results = (reply.value as { results?: unknown }).results;
  const byId = new Map<string, string>();
  if (Array.isArray(results)) {
    for (const r of results as { requestId?: unknown; status?: unknown }[]) {
      if (typeof r?.requestId === 'string' && typeof r.status === 'string') {
        byId.set(r.requestId, r.status);
      }
    }
  }
  const deadlineIso = new Date(deadline).toISOString();
  return batch.map((e): RawOutcome => {
    const status = byId.get(e.requestId);
    if (status === undefined) {
      return failedOutcome(e.requestId, permanent('TRAY_ANSWER_MISMATCH', 'Not in the results.'));
    }
    if (status === 'expired') {
      const failure = permanent('TRAY_SOURCE_TIMEOUT', 'The request expired in the room.');
      return failedOutcome(e.requestId, failure);
    }
    if (status === 'cancelled') {
      return failedOutcome(e.requestId, permanent('TRAY_ABORTED', 'The request was cancelled.'));
    }
    // waiting, leased, and answered or declined ones (their answer comes by pull or callback)
    return { requestId: e.requestId, status: 'waiting', deadline: deadlineIso };
  });
}

async function pull(
  hub: string,
  state: HubState,
  source: Source,
  context: { signal: AbortSignal; clock: Clock },
  options: AsyncConnectorOptions,
): Promise<RawOutcome[]> {
  if (state.unacknowledged) {
    const ack = await signedPost(
      `${hub}/async/v1/answers/acknowledge`,
      { messageId: newId(), cursor: state.unacknowledged },
      { ...options, source, signal: context.signal },
    );
    if (!('failure' in ack)) state.unacknowledged = undefined;
  }

  const query = new URLSearchParams({ limit: String(options.pageSize ?? 100) });
  if (state.cursor) query.set('after', state.cursor);
  const result = await exchange({
    url: `${hub}/async/v1/answers?${query.toString()}`,
    method: 'GET',
    headers: { accept: 'application/json' },
    dispatcher: options.pools.agentFor(source),
    signal: context.signal,
  });
  // TODO(async-collect-failures): a failed pull has no enquiry to fail; it is tried again on the
  // next call, and nothing reports it yet (a diagnostics_channel event would).
  if (!result.ok || result.reply.status !== 200) return [];
  const page = parseJson(result.reply.body) as { answers?: unknown } | undefined;
  if (!page || !Array.isArray(page.answers)) return [];

  const outcomes: RawOutcome[] = [];
  let last: string | undefined;
  for (const item of page.answers as { cursor?: unknown; answer?: unknown }[]) {
    if (typeof item?.cursor === 'string') last = item.cursor;
    const answer = checkAnswerEnvelope(item?.answer);
    if (!isFailure(answer)) {
      const evidence = { answerHash: sha256Base64url(JSON.stringify(answer)) };
      outcomes.push(outcomeOfEnvelope(answer.requestId, answer, evidence));
      continue;
    }
    const requestId = (item?.answer as { requestId?: unknown } | undefined)?.requestId;
    if (typeof requestId === 'string') outcomes.push(failedOutcome(requestId, answer));
  }
  if (last) {
    state.cursor = last;
    state.unacknowledged = last;
  }
  return outcomes;
}

/** POSTs a signed JSON body and returns the verified JSON answer, or the failure met. */
async function signedPost(
  url: string,
  body: { messageId: string } & Record<string, unknown>,
  options: AsyncConnectorOptions & { source: Source; signal: AbortSignal },
): Promise<{ value: Record<string, unknown> } | { failure: ReturnType<typeof permanent> }> {
  const requestBody = Buffer.from(JSON.stringify(body));
  let signature: string;
  try {
    signature = await options.signer.signRequest(requestBody, { requestId: body.messageId });
  } catch (err) {
    const code = InteropError.is(err) ? err.code : 'unknown';
    return { failure: permanent('TRAY_REQUEST_INVALID', `Signing failed (${code}).`) };
  }

  const result = await exchange({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signature },
    body: requestBody,
    dispatcher: options.pools.agentFor(options.source),
    signal: options.signal,
  });
  if (!result.ok) return { failure: result.failure };
  const { reply } = result;
  if (reply.status !== 200) {
    const refusal = refusalOf(reply.body);
    return { failure: failureOfStatus(reply.status, refusal.code, refusal.message) };
  }
  try {
    await options.verifier.verifyAnswer(headerOf(reply.headers, SIGNATURE_HEADER) ?? '', {
      body: reply.body,
      requestId: body.messageId,
      requestBody,
      signal: options.signal,
    });
  } catch (err) {
    if (!InteropError.is(err)) throw err;
    const message = `The answer signature does not verify (${err.code}).`;
    return { failure: permanent('TRAY_ANSWER_SIGNATURE_INVALID', message) };
  }
  const value = parseJson(reply.body);
  if (typeof value !== 'object' || value === null) {
    return { failure: permanent('TRAY_ANSWER_MALFORMED', 'The answer is not a JSON object.') };
  }
  return { value: value as Record<string, unknown> };
}

function envelopeOf(enquiry: Enquiry, room: string): QueryEnvelope {
  return {
    requestId: enquiry.requestId,
    issuedAt: enquiry.issuedAt,
    source: room,
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
