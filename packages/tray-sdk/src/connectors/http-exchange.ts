// One HTTP exchange on a source's pool: the reply read in full (bounded), or the failure it met.

import type { IncomingHttpHeaders } from 'node:http';
import { request, type Dispatcher } from 'undici';
import { permanent, type Failure } from './outcomes.js';

/** Largest answer body read, by default: 16 MiB. */
export const DEFAULT_MAX_ANSWER_BYTES = 16 * 1024 * 1024;

/** What to send. */
export interface HttpCall {
  url: string;
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: Buffer;
  dispatcher: Dispatcher;
  signal: AbortSignal;
  maxBytes?: number;
}

/** A reply read in full. */
export interface HttpReply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** The reply, or the failure of the network or of the reply's size. */
export type HttpResult = { ok: true; reply: HttpReply } | { ok: false; failure: Failure };

/**
 * Sends one request and reads the whole reply. Never throws for the network: an aborted signal,
 * a timeout, a refused or reset connection, a TLS failure or an oversized body is a failure.
 */
export async function exchange(call: HttpCall): Promise<HttpResult> {
  const maxBytes = call.maxBytes ?? DEFAULT_MAX_ANSWER_BYTES;
  try {
    const response = await request(call.url, {
      method: call.method,
      headers: call.headers,
      body: call.body,
      dispatcher: call.dispatcher,
      signal: call.signal,
    });

    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response.body) {
      size += (chunk as Buffer).length;
      if (size > maxBytes) {
        response.body.destroy();
        return {
          ok: false,
          failure: permanent('TRAY_ANSWER_MALFORMED', `The answer exceeds ${maxBytes} bytes.`),
        };
      }
      chunks.push(chunk as Buffer);
    }
    return {
      ok: true,
      reply: {
        status: response.statusCode,
        headers: response.headers,
        body: Buffer.concat(chunks),
      },
    };
  } catch (err) {
    return { ok: false, failure: networkFailure(err, call.signal) };
  }
}

const TIMEOUT_CODES = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ETIMEDOUT',
]);

/**
 * Classifies what went wrong on the wire. An aborted signal is a timeout when its reason is a
 * `TimeoutError` (`AbortSignal.timeout`, or the Tray's per-attempt timer), else a cancellation.
 */
export function networkFailure(err: unknown, signal: AbortSignal): Failure {
  if (signal.aborted) return abortFailure(signal);
  const code = errorCode(err);
  if (code && TIMEOUT_CODES.has(code)) {
    return {
      code: 'TRAY_SOURCE_TIMEOUT',
      message: `No answer in time (${code}).`,
      retryable: true,
    };
  }
  return {
    code: 'TRAY_SOURCE_UNREACHABLE',
    message: `The source could not be reached (${code ?? 'network error'}).`,
    retryable: true,
  };
}

/** The failure of an aborted signal: a timeout, or a cancellation nobody should retry. */
export function abortFailure(signal: AbortSignal): Failure {
  const reason: unknown = signal.reason;
  if (reason instanceof Error && reason.name === 'TimeoutError') {
    return {
      code: 'TRAY_SOURCE_TIMEOUT',
      message: 'No answer before the timeout.',
      retryable: true,
    };
  }
  return { code: 'TRAY_ABORTED', message: 'The enquiry was cancelled.', retryable: false };
}

function errorCode(err: unknown): string | undefined {
  for (let at: unknown = err, depth = 0; at && depth < 4; depth += 1) {
    const code = (at as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    at = (at as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The first value of a header, if any. */
export function headerOf(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
