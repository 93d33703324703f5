// RFC 5280 6.1.3 (a)(3): revocation status of each certificate of a path (CRLs, checkers).

import { SecurityError } from '../errors.js';
import type { Certificate } from './certificate.js';
import { certificateExtensions } from './cert-extensions.js';
import type { Crl } from './crl.js';
import type { CrlCache } from './crl-cache.js';
import { fetchCrl } from './crl-fetch.js';
import { crlStatus } from './crl-status.js';
import { comparableName } from './name-match.js';
import { positionOf, refusal } from './path-state.js';
import type { CertificatePool } from './build-paths.js';
import type {
  CrlFetchOptions,
  RevocationChecker,
  RevocationMode,
  RevocationStatus,
} from './revocation.js';
import { verifySignature } from './verify-signature.js';

/** Everything revocation checking of one path needs. */
export interface RevocationRun {
  readonly mode: RevocationMode;
  readonly time: Date;
  readonly signal?: AbortSignal;
  readonly crls: readonly Crl[];
  readonly cache?: CrlCache;
  readonly fetch?: CrlFetchOptions;
  readonly checkers: readonly RevocationChecker[];
  readonly pool: CertificatePool;
  readonly allowSha1?: boolean;
  /**
   * RFC 5280 6.3.3 (f): validates the path of a CRL signer that is not the certificate's issuer,
   * to the same anchor; resolves true when it validates.
   */
  readonly validateSigner: (signer: Certificate, anchor: Certificate) => Promise<boolean>;
}

/**
 * Checks every certificate of `path` (issued by `anchor` first) and returns the earliest time
 * the answers stop being valid, if any.
 *
 * @throws SecurityError `PKI_CERT_REVOKED`, `PKI_REVOCATION_UNKNOWN` (mode `require`),
 *   `PKI_VALIDATION_ABORTED`.
 */
export async function checkPathRevocation(
  anchor: Certificate,
  path: readonly Certificate[],
  run: RevocationRun,
): Promise<Date | undefined> {
  if (run.mode === 'off') return undefined;
  let validUntil: Date | undefined;

  for (let i = 1; i <= path.length; i++) {
    const cert = path[i - 1] as Certificate;
    const issuer = i === 1 ? anchor : (path[i - 2] as Certificate);
    const position = positionOf(i, path.length);
    if (run.signal?.aborted) {
      throw new SecurityError('PKI_VALIDATION_ABORTED', 'The validation was aborted.');
    }

    const { status, cause } = await statusOf(cert, issuer, anchor, run);
    if (status.status === 'revoked') {
      throw refusal('PKI_CERT_REVOKED', 'A certificate is revoked.', cert, position, {
        reason: status.reason,
        source: status.source,
      });
    }
    if (status.status === 'unknown' && run.mode === 'require') {
      throw new SecurityError('PKI_REVOCATION_UNKNOWN', 'Revocation status is unknown.', {
        context: { position, fingerprint: cert.fingerprintSha256 },
        cause,
      });
    }
    const until = status.validUntil ?? status.nextUpdate;
    if (until && (!validUntil || until < validUntil)) validUntil = until;
  }
  return validUntil;
}

async function statusOf(
  cert: Certificate,
  issuer: Certificate,
  anchor: Certificate,
  run: RevocationRun,
): Promise<{ status: RevocationStatus; cause?: unknown }> {
  // Causes kept for PKI_REVOCATION_UNKNOWN: why a CRL was unusable, a fetch or checker error.
  const verified = new Set<string>();
  const verify = async (crl: Crl) => {
    const ok = await verifyCrl(crl, issuer, anchor, run);
    if (ok) verified.add(crl.fingerprintSha256);
    return ok;
  };
  const issuerName = comparableName(cert.raw.issuer);
  const known = [...run.crls, ...(run.cache?.get(issuerName) ?? [])];

  // CRLs at hand first, then those fetched from the certificate's distribution points.
  const first = await crlStatus(cert, known, run.time, verify);
  let status = first.status;
  let cause: unknown = first.rejection;
  if (status.status === 'unknown' && run.fetch) {
    let fetchError: unknown;
    const fetched: Crl[] = [];
    for (const url of distributionPointUris(cert)) {
      try {
        fetched.push(await fetchCrl(url, run.fetch, run.signal));
      } catch (err) {
        if (err instanceof SecurityError && err.code === 'PKI_VALIDATION_ABORTED') throw err;
        fetchError ??= err;
      }
    }
    if (fetched.length > 0) {
      const again = await crlStatus(cert, [...known, ...fetched], run.time, verify);
      status = again.status;
      cause = again.rejection;
      // Only CRLs whose signature verified enter the shared cache.
      for (const crl of fetched) if (verified.has(crl.fingerprintSha256)) run.cache?.add(crl);
    }
    cause ??= fetchError;
  }

  // Then the other sources (OCSP), in order, until one knows.
  for (const checker of run.checkers) {
    if (status.status !== 'unknown') break;
    try {
      status = await checker.check(cert, issuer, { time: run.time, signal: run.signal });
    } catch (err) {
      cause = err;
    }
  }
  return { status, cause };
}

/**
 * RFC 5280 6.3.3 (f), (g): the CRL verifies with a key allowed to sign CRLs — the certificate's
 * issuer, or another certificate of the CRL issuer's name whose own path validates to the same
 * anchor (a separate CRL-signing key).
 */
async function verifyCrl(
  crl: Crl,
  issuer: Certificate,
  anchor: Certificate,
  run: RevocationRun,
): Promise<boolean> {
  const others = [
    ...run.pool.anchorsNamed(crl.issuerName),
    ...run.pool.intermediatesNamed(crl.issuerName),
  ];
  const candidates = [
    issuer,
    ...others.filter((c) => c.fingerprintSha256 !== issuer.fingerprintSha256),
  ];

  for (const signer of candidates) {
    const usage = certificateExtensions(signer.raw).keyUsage;
    if (usage && !usage.has('cRLSign')) continue;
    if (!signatureVerifies(crl, signer, run)) continue;
    if (signer === issuer || run.pool.isAnchor(signer)) return true;
    if (await run.validateSigner(signer, anchor)) return true;
  }
  return false;
}

function signatureVerifies(crl: Crl, signer: Certificate, run: RevocationRun): boolean {
  try {
    return verifySignature(crl.raw, signer.publicKey, { allowSha1: run.allowSha1 });
  } catch {
    // An unsupported or refused algorithm: this CRL cannot be used.
    return false;
  }
}

/** The http(s) URIs of the distribution points that the issuer itself serves (no cRLIssuer). */
function distributionPointUris(cert: Certificate): string[] {
  const uris: string[] = [];
  for (const point of certificateExtensions(cert.raw).crlDistributionPoints ?? []) {
    if (point.crlIssuer || point.name?.kind !== 'fullName') continue;
    for (const name of point.name.names) {
      if (name.kind === 'uniformResourceIdentifier' && /^https?:/i.test(name.value)) {
        uris.push(name.value);
      }
    }
  }
  return uris;
}
