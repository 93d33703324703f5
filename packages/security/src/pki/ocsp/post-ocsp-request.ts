// Sends an OCSP request by HTTP POST (RFC 6960 A.1) with undici, within a time and size budget.

import { request, type Dispatcher } from 'undici';
import { SecurityError } from '../../errors.js';

/** How the OCSP request travels. */
export interface OcspTransport {
  /** undici dispatcher (agent, pool, proxy); default undici's global dispatcher. */
  dispatcher?: Dispatcher;
  /** Whole-exchange timeout in milliseconds. */
  timeoutMs: number;
  /** Largest response body accepted, in bytes. */
  maxResponseBytes: number;
}

/**
 * POSTs `der` to `url` and returns the response body.
 *
 * @throws SecurityError `PKI_OCSP_UNAVAILABLE` on a network error, timeout, HTTP status other than
 *   200, wrong content type or a body over the limit. When `signal` aborts, its reason is thrown.
 */
export async function postOcspRequest(
  url: string,
  der: Uint8Array,
  transport: OcspTransport,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  const timeout = AbortSignal.timeout(transport.timeoutMs);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  const context = { responder: originOf(url) };

  try {
    const response = await request(url, {
      method: 'POST',
      body: Buffer.from(der),
      headers: {
        'content-type': 'application/ocsp-request',
        accept: 'application/ocsp-response',
      },
      signal: combined,
      ...(transport.dispatcher ? { dispatcher: transport.dispatcher } : {}),
    });

    if (response.statusCode !== 200) {
      await response.body.dump();
      throw unavailable('The OCSP responder answered with an HTTP error.', {
        ...context,
        httpStatus: response.statusCode,
      });
    }
    const type = String(response.headers['content-type'] ?? '')
      .split(';')[0]
      ?.trim();
    if (type !== 'application/ocsp-response') {
      await response.body.dump();
      throw unavailable('The OCSP responder answered with another content type.', context);
    }

    return await readLimited(response.body, transport.maxResponseBytes, context);
  } catch (cause) {
    if (signal?.aborted) throw signal.reason;
    if (cause instanceof SecurityError) throw cause;
    const reason = timeout.aborted ? 'timeout' : 'network';
    throw unavailable('The OCSP responder cannot be reached.', { ...context, reason }, cause);
  }
}

async function readLimited(
  body: AsyncIterable<Buffer> & { destroy(): void },
  limit: number,
  context: { responder: string },
): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > limit) {
      body.destroy();
      throw unavailable('The OCSP response is larger than allowed.', { ...context, limit });
    }
    chunks.push(chunk);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

function unavailable(
  message: string,
  context: Record<string, string | number>,
  cause?: unknown,
): SecurityError {
  return new SecurityError('PKI_OCSP_UNAVAILABLE', message, { context, cause });
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'invalid-url';
  }
}
