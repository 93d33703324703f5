// Receives answers the Asynchronous Module POSTs to the enquirer's callback URL (signed JSON).

import type { IncomingMessage, ServerResponse } from 'node:http';
import { InteropError } from '@interop-blocks/core';
import type { JwsVerifier } from '@interop-blocks/security';
import {
  checkAnswerEnvelope,
  isFailure,
  outcomeOfEnvelope,
  parseJson,
} from './answer-envelopes.js';
import type { RawOutcome } from './connector.js';
import { sha256Base64url } from './evidence.js';

/** Options of {@link createAsyncCallbackReceiver}. */
export interface AsyncCallbackReceiverOptions {
  /** Verifies the hub's signature over each POST body (the hub's seal, validated). */
  verifier: JwsVerifier<unknown>;
  /**
   * Records the outcomes durably before the hub is told 2xx (then they are not queued). Without
   * it they wait in memory for the async connector's `collect()`.
   */
  accept?: (outcomes: RawOutcome[]) => Promise<void>;
  /** Largest body accepted. Default 1 MiB. */
  maxBytes?: number;
}

/** A callback receiver: the request handler to mount, and the answers received so far. */
export interface AsyncCallbackReceiver {
  /** A `node:http` handler for `POST` on the callback URL (mount it behind mutual TLS). */
  handle(request: IncomingMessage, response: ServerResponse): Promise<void>;
  /** Takes the outcomes received since the last call (once each). */
  drain(): RawOutcome[];
}

/**
 * Creates the receiver of answer callbacks: each POST carries `{ requestId, cursor, answer }`
 * (an answer envelope) with a detached JWS in `x-interop-signature` bound to the request id.
 * It answers 204 once the answer is taken (idempotent: a repeat is taken again and the engine
 * records it once), 401 `TRAY_ANSWER_SIGNATURE_INVALID`, 400 `TRAY_ANSWER_MALFORMED`, 413, 405.
 *
 * @example
 * ```ts
 * const receiver = createAsyncCallbackReceiver({ verifier });
 * https.createServer(mtlsServerOptions(tls), (req, res) => void receiver.handle(req, res));
 * ```
 */
export function createAsyncCallbackReceiver(
  options: AsyncCallbackReceiverOptions,
): AsyncCallbackReceiver {
  let queue: RawOutcome[] = [];
  const maxBytes = options.maxBytes ?? 1024 * 1024;
  const refuse = (response: ServerResponse, status: number, code: string, message: string) => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ error: { code, message } }));
  };

  return {
    async handle(request, response) {
      if (request.method !== 'POST')
        return refuse(response, 405, 'TRAY_REQUEST_INVALID', 'POST only.');
      const body = await readBody(request, maxBytes);
      if (!body) return refuse(response, 413, 'TRAY_ANSWER_MALFORMED', 'The body is too large.');
      const parsed = parseJson(body) as { requestId?: unknown; answer?: unknown } | undefined;
      const requestId = typeof parsed?.requestId === 'string' ? parsed.requestId : '';
      const signature = request.headers['x-interop-signature'];

      try {
        await options.verifier.verifyRequest(typeof signature === 'string' ? signature : '', {
          body,
          requestId,
        });
      } catch (err) {
        if (!InteropError.is(err)) throw err;
        return refuse(
          response,
          401,
          'TRAY_ANSWER_SIGNATURE_INVALID',
          `Not verified (${err.code}).`,
        );
      }
      const answer = checkAnswerEnvelope(parsed?.answer);
      if (isFailure(answer) || answer.requestId !== requestId) {
        return refuse(response, 400, 'TRAY_ANSWER_MALFORMED', 'Not an answer envelope.');
      }

      const outcome = outcomeOfEnvelope(requestId, answer, {
        answerHash: sha256Base64url(JSON.stringify(answer)),
        ...(typeof signature === 'string' ? { signature } : {}),
      });
      if (options.accept) await options.accept([outcome]);
      else queue.push(outcome);
      response.writeHead(204).end();
    },
    drain() {
      const taken = queue;
      queue = [];
      return taken;
    },
  };
}

async function readBody(request: IncomingMessage, maxBytes: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
