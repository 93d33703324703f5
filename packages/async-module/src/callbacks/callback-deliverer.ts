// Pushes final answers to callback URLs: signed POSTs, retried with backoff until a 2xx.

import { diagnosticsChannelFor, systemClock, type Clock } from '@interop-blocks/core';
import type { JwsSigner } from '@interop-blocks/security';
import { request, type Dispatcher } from 'undici';
import { SIGNATURE_HEADER } from '../http/signed-route.js';
import type { CallbackDelivery, DeliveryReport, WaitingRooms } from '../types.js';
import { backoffDelay, waitFor, type BackoffOptions } from './backoff.js';

/** `{ requester, requestId, attempt, status?, error? }` for every failed attempt. */
const attemptFailed = diagnosticsChannelFor('async', 'callback', 'attempt-failed');

/** Options of {@link CallbackDeliverer}. */
export interface CallbackDelivererOptions {
  rooms: WaitingRooms;
  /** Signs each POST body (detached JWS bound to the answer's request id). */
  signer: JwsSigner;
  /** The undici dispatcher, e.g. an `Agent` with the hub's client certificate (mutual TLS). */
  dispatcher?: Dispatcher;
  backoff?: BackoffOptions;
  /** Deliveries claimed per round. Default 50. */
  batchSize?: number;
  /** How long a claimed delivery stays hidden from other deliverers. Default 60 s. */
  claimMs?: number;
  /** Timeout of one POST, in ms. Default 30 s. */
  attemptTimeoutMs?: number;
  clock?: Clock;
  random?: () => number;
}

/** The JSON body POSTed to a callback URL. */
export interface CallbackBody {
  requestId: string;
  groupRequestId: string | null;
  answer: CallbackDelivery['answer'];
}

/**
 * Delivers final answers to the callback URLs their requesters gave, through the rooms' durable
 * outbox. Each answer is POSTed as JSON carrying its request id, with a detached JWS in
 * `x-interop-signature` (and the request id in `idempotency-key`). A 2xx marks it delivered (its
 * payload is purged); anything else is retried later with jittered exponential backoff, across
 * restarts. A crash between the 2xx and the report sends it again: receivers treat the request
 * id as idempotent.
 *
 * @example
 * ```ts
 * const deliverer = new CallbackDeliverer({ rooms, signer, dispatcher: mtlsAgent });
 * await deliverer.run({ signal }); // or deliverDue() from your own scheduler
 * ```
 */
export class CallbackDeliverer {
  readonly #options: CallbackDelivererOptions;
  readonly #clock: Clock;

  /** @param options - the rooms, the signer, the dispatcher, backoff and batch settings. */
  constructor(options: CallbackDelivererOptions) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
  }

  /**
   * One round: claims the deliveries that are due, POSTs each once, reports the results.
   * @returns how many were delivered and how many will be retried.
   */
  async deliverDue(options: { signal?: AbortSignal } = {}): Promise<{
    delivered: number;
    retrying: number;
  }> {
    const due = await this.#options.rooms.nextDeliveries({
      limit: this.#options.batchSize ?? 50,
      claimMs: this.#options.claimMs ?? 60_000,
    });
    const reports = await Promise.all(due.map((d) => this.#attempt(d, options.signal)));
    if (reports.length > 0) await this.#options.rooms.markDelivered(reports);
    const delivered = reports.filter((r) => r.delivered).length;
    return { delivered, retrying: reports.length - delivered };
  }

  /** Runs rounds until `signal` aborts, pausing `idleMs` (default 1 s) when nothing was due. */
  async run(options: { signal: AbortSignal; idleMs?: number }): Promise<void> {
    while (!options.signal.aborted) {
      const round = await this.deliverDue(options);
      if (round.delivered + round.retrying === 0) {
        await waitFor(options.idleMs ?? 1000, options.signal).catch(() => undefined);
      }
    }
  }

  async #attempt(delivery: CallbackDelivery, signal?: AbortSignal): Promise<DeliveryReport> {
    const { requestId } = delivery;
    const payload: CallbackBody = {
      requestId,
      groupRequestId: delivery.groupRequestId,
      answer: delivery.answer,
    };
    const body = Buffer.from(JSON.stringify(payload));
    const signature = await this.#options.signer.signRequest(body, { requestId });
    const outcome = await this.#post(delivery.callbackUrl, body, signature, requestId, signal);
    if (typeof outcome === 'number' && outcome >= 200 && outcome < 300) {
      return { requestId, delivered: true };
    }

    const attempt = delivery.attempts + 1;
    if (attemptFailed.hasSubscribers) {
      attemptFailed.publish({
        requester: delivery.requester,
        requestId,
        attempt,
        ...(typeof outcome === 'number' ? { status: outcome } : { error: outcome }),
      });
    }
    const delay = backoffDelay(attempt, this.#options.backoff, this.#options.random);
    return { requestId, delivered: false, retryAt: this.#clock.now() + delay };
  }

  /** One POST; the status, or the error code when no response came. */
  async #post(
    url: string,
    body: Buffer,
    signature: string,
    requestId: string,
    signal?: AbortSignal,
  ): Promise<number | string> {
    const timeout = AbortSignal.timeout(this.#options.attemptTimeoutMs ?? 30_000);
    try {
      const res = await request(url, {
        method: 'POST',
        dispatcher: this.#options.dispatcher,
        headers: {
          'content-type': 'application/json',
          'idempotency-key': requestId,
          [SIGNATURE_HEADER]: signature,
        },
        body,
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
      await res.body.dump();
      return res.statusCode;
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      return typeof code === 'string' ? code : 'NETWORK_ERROR';
    }
  }
}
