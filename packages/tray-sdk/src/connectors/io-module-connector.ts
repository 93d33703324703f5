// The IO-Module connector: batch queries, JWS-signed over mutual TLS, answers verified and bound.

import type { QueryBatch } from '@interop-blocks/core';
import { InteropError } from '@interop-blocks/core';
import { requestHash, type JwsSigner, type JwsVerifier } from '@interop-blocks/security';
import type { Connector, ConnectorContext, Enquiry, RawOutcome } from './connector.js';
import { isFailure, outcomeOfEnvelope, parseAnswerBatch, sameSubject } from './answer-envelopes.js';
import { sha256Base64url } from './evidence.js';
import { exchange, headerOf } from './http-exchange.js';
import {
  failAll,
  failureOfStatus,
  groupByJustification,
  permanent,
  refusalOf,
} from './outcomes.js';
import type { SourcePools } from './source-pools.js';

/** The header carrying the detached JWS, on queries and answers. */
export const SIGNATURE_HEADER = 'x-interop-signature';

/** What the IO-Module connector needs. */
export interface IoModuleConnectorOptions {
  pools: SourcePools;
  /** Signs each query body with the enquirer's seal. */
  signer: JwsSigner;
  /** Verifies the owner's answer signatures (validator with the owners' trust anchors). */
  verifier: JwsVerifier<unknown>;
}

/**
 * Creates the connector of `io-module` transports: `POST {url}/io/v1/{dataset}/query` with a
 * core `QueryBatch` per group of enquiries sharing purpose, legal basis, case, organisation,
 * official, period and reference date (one group for a batch of one case). The batch takes the
 * request id of its first enquiry, so a retried batch carries the same id. The answer must be
 * signed by the owner and bound to the exact request bytes; each of its answers becomes the
 * outcome of the enquiry at its position.
 *
 * @example
 * ```ts
 * const io = createIoModuleConnector({ pools: new SourcePools({ tls }), signer, verifier });
 * const outcomes = await io.send(batch, { source, signal, attempt: 1, clock });
 * ```
 */
export function createIoModuleConnector(options: IoModuleConnectorOptions): Connector {
  return {
    kind: 'io-module',
    async send(batch, context) {
      const groups = groupByJustification(batch);
      const results = await Promise.all(groups.map((group) => sendGroup(group, context, options)));
      return results.flat();
    },
    close: () => options.pools.close(),
  };
}

async function sendGroup(
  group: Enquiry[],
  context: ConnectorContext,
  options: IoModuleConnectorOptions,
): Promise<RawOutcome[]> {
  const transport = context.source.declaration.transport;
  if (transport.kind !== 'io-module') {
    return failAll(group, permanent('TRAY_REQUEST_INVALID', 'The source is not an IO-Module.'));
  }
  const dataset = transport.dataset ?? context.source.id;
  const query = queryOf(group, dataset, context);
  const requestBody = Buffer.from(JSON.stringify(query));

  let signature: string;
  try {
    signature = await options.signer.signRequest(requestBody, { requestId: query.requestId });
  } catch (err) {
    const code = InteropError.is(err) ? err.code : 'unknown';
    return failAll(group, permanent('TRAY_REQUEST_INVALID', `Signing failed (${code}).`));
  }

  const result = await exchange({
    url: `${transport.url.replace(/\/+$/, '')}/io/v1/${encodeURIComponent(dataset)}/query`,
    method: 'POST',
    headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signature },
    body: requestBody,
    dispatcher: options.pools.agentFor(context.source),
    signal: context.signal,
  });
  if (!result.ok) return failAll(group, result.failure);
  const { reply } = result;
  if (reply.status !== 200) {
    const refusal = refusalOf(reply.body);
    return failAll(group, failureOfStatus(reply.status, refusal.code, refusal.message));
  }

  const answerSignature = headerOf(reply.headers, SIGNATURE_HEADER);
  if (!answerSignature) {
    return failAll(group, permanent('TRAY_ANSWER_SIGNATURE_INVALID', 'The answer is unsigned.'));
  }
  let signer: string;
  try {
    const verified = await options.verifier.verifyAnswer(answerSignature, {
      body: reply.body,
      requestId: query.requestId,
      requestBody,
      signal: context.signal,
    });
    signer = verified.certificate.fingerprintSha256;
  } catch (err) {
    if (!InteropError.is(err)) throw err;
    const message = `The answer signature does not verify (${err.code}).`;
    return failAll(group, permanent('TRAY_ANSWER_SIGNATURE_INVALID', message));
  }

  const answer = parseAnswerBatch(reply.body);
  if (isFailure(answer)) return failAll(group, answer);
  const hash = requestHash(requestBody);
  const mismatch =
    answer.requestId !== query.requestId ||
    answer.source !== dataset ||
    (answer.requestHash !== undefined && answer.requestHash !== hash) ||
    answer.answers.length !== group.length ||
    answer.answers.some(
      (a, i) =>
        a.requestId !== query.requestId ||
        !sameSubject(group[i]!.subject, a.subject) ||
        (a.requestHash !== undefined && a.requestHash !== hash),
    );
  if (mismatch) {
    return failAll(group, permanent('TRAY_ANSWER_MISMATCH', 'The answer is not for this query.'));
  }

  const evidence = {
    requestHash: hash,
    answerHash: sha256Base64url(reply.body),
    signature: answerSignature,
    signer,
  };
  return answer.answers.map((a, i) => outcomeOfEnvelope(group[i]!.requestId, a, evidence));
}

function queryOf(group: Enquiry[], dataset: string, context: ConnectorContext): QueryBatch {
  const first = group[0]!;
  return {
    requestId: first.requestId,
    issuedAt: new Date(context.clock.now()).toISOString(),
    source: dataset,
    subjects: group.map((e) => ({ scheme: e.subject.scheme, id: e.subject.id })),
    purpose: first.purpose,
    legalBasis: first.legalBasis,
    case: first.case,
    organisation: first.organisation,
    official: first.official,
    ...(first.period ? { period: first.period } : {}),
    ...(first.referenceDate ? { referenceDate: first.referenceDate } : {}),
  };
}
