// Fetches a CRL over HTTP(S) from a cRLDistributionPoints URI (RFC 5280 4.2.1.13), bounded.

import { fetch as undiciFetch } from 'undici';
import { SecurityError } from '../errors.js';
import { parseCrl, type Crl } from './crl.js';
import type { CrlFetchOptions, FetchFunction } from './revocation.js';

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;

/**
 * Fetches and parses the CRL at `url` (DER, or PEM). Only `http:` and `https:` URIs are fetched.
 *
 * @throws SecurityError `PKI_CRL_FETCH_FAILED` (scheme, network, status, size, timeout),
 *   `PKI_CRL_MALFORMED` / `PKI_WRONG_TYPE` for a body that is not a CRL,
 *   `PKI_VALIDATION_ABORTED` when `signal` aborts.
 */
export async function fetchCrl(
  url: string,
  options: CrlFetchOptions = {},
  signal?: AbortSignal,
): Promise<Crl> {
  const scheme = /^([a-z]+):/i.exec(url)?.[1]?.toLowerCase();
  if (scheme !== 'http' && scheme !== 'https') {
    throw new SecurityError('PKI_CRL_FETCH_FAILED', 'Only HTTP(S) CRL locations are fetched.', {
      context: { scheme },
    });
  }

  const timeout = AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  const doFetch: FetchFunction =
    options.fetch ??
    ((target, init) => undiciFetch(target, { ...init, dispatcher: options.dispatcher }));

  let body: Uint8Array;
  try {
    const response = await doFetch(url, {
      signal: combined,
      headers: { accept: 'application/pkix-crl, application/x-pkcs7-crl;q=0.5, */*;q=0.1' },
    });
    if (!response.ok) {
      throw new SecurityError('PKI_CRL_FETCH_FAILED', 'The CRL location did not answer 2xx.', {
        context: { status: response.status },
      });
    }
    const length = Number(response.headers.get('content-length') ?? '0');
    const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    if (length > maxBytes) throw tooLarge(length);
    body = new Uint8Array(await response.arrayBuffer());
    if (body.byteLength > maxBytes) throw tooLarge(body.byteLength);
  } catch (cause) {
    if (cause instanceof SecurityError) throw cause;
    if (signal?.aborted) {
      throw new SecurityError('PKI_VALIDATION_ABORTED', 'The CRL fetch was aborted.', { cause });
    }
    throw new SecurityError('PKI_CRL_FETCH_FAILED', 'The CRL could not be fetched.', {
      context: { timedOut: timeout.aborted },
      cause,
    });
  }

  return parseCrl(body);
}

function tooLarge(bytes: number): SecurityError {
  return new SecurityError('PKI_CRL_FETCH_FAILED', 'The CRL is larger than allowed.', {
    context: { bytes },
  });
}
