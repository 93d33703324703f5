// Verifies an export bundle offline: no database, only the file and the certificates inside it.

import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { SecurityError } from '../errors.js';
import { BUNDLE_FORMAT, BUNDLE_VERSION, type BundleHeader } from './bundle-format.js';
import { recordCanonical, type HashedColumns } from './canonical.js';
import type { CheckpointTable } from './schema.js';
import type { TrailVerification } from './types.js';
import { ChainVerifier, type VerifiableRow } from './verify-chain.js';
import { checkCheckpoints, leafCertificates } from './verify-checkpoints.js';

/** Options of {@link verifyTrailBundle}. */
export interface VerifyBundleOptions {
  /** Only checkpoints signed by these certificates (SHA-256 fingerprints) count as valid. */
  acceptedSigners?: readonly string[];
  signal?: AbortSignal;
}

/** The result of verifying a bundle: the chain verification and the bundle's header. */
export interface BundleVerification extends TrailVerification {
  trail: string;
  exportedAt: string;
  /** seq -> hash of every record read; only filled when `collectHashes` is asked for. */
  hashes?: Map<number, string>;
}

const CHUNK = 2000;

/**
 * Verifies the bundle at `path`: every record hash, link and position, every checkpoint's
 * signature with the signer certificate in the bundle, every checkpointed head against its record,
 * and that the bundle is complete (its end line).
 *
 * @throws SecurityError `TRAIL_BUNDLE_INVALID` when the file is not a bundle of a known version or
 *   a line is not JSON of the expected shape.
 * @example
 * ```ts
 * const result = await verifyTrailBundle('trail-2026-05.ndjson');
 * if (!result.ok) showProblems(result.problems);
 * ```
 */
// TODO(trail-bundle-trust): checkpoint signers are checked against the certificate in the bundle
// (or pinned by fingerprint); validating that certificate to configured trust anchors with the
// CertificateValidator (a `--trust` option of the CLI) is not done yet.
export async function verifyTrailBundle(
  path: string,
  options: VerifyBundleOptions & { collectHashes?: boolean } = {},
): Promise<BundleVerification> {
  const lines = createInterface({
    input: createReadStream(path, { encoding: 'utf8' }),
    crlfDelay: Infinity,
  });
  let lineNo = 0;
  let header: BundleHeader | undefined;
  const checkpoints: CheckpointTable[] = [];
  let checked: ReturnType<typeof checkCheckpoints> | undefined;
  let verifier: ChainVerifier | undefined;
  let chunk: VerifiableRow[] = [];
  let ended = false;
  const hashes = options.collectHashes ? new Map<number, string>() : undefined;

  try {
    for await (const line of lines) {
      lineNo += 1;
      if (lineNo % 10_000 === 0) options.signal?.throwIfAborted();
      if (line.length === 0) continue;
      const value = parseLine(line, lineNo);
      if (!header) {
        header = asHeader(value);
        continue;
      }
      if (ended) throw bad('Lines follow the end line.', lineNo);

      if (value.type === 'checkpoint') {
        if (verifier) throw bad('Checkpoints come before the records.', lineNo);
        checkpoints.push({
          ...(value as unknown as Omit<CheckpointTable, 'trail'>),
          trail: header.trail,
        });
      } else if (value.type === 'record') {
        if (!verifier) {
          checked = checkAll(header, checkpoints, options.acceptedSigners);
          verifier = new ChainVerifier(
            { seq: header.anchor.seq, hash: header.anchor.hash ?? undefined },
            checked.valid,
          );
        }
        const record = asRecord(value, lineNo);
        hashes?.set(record.seq, record.hash);
        chunk.push({
          seq: record.seq,
          hash: record.hash,
          prev_hash: record.prev_hash,
          canonical: recordCanonical(record),
        });
        if (chunk.length >= CHUNK) {
          verifier.push(chunk);
          chunk = [];
        }
      } else if (value.type === 'end') {
        ended = true;
      } else {
        throw bad('A line has an unknown type.', lineNo);
      }
    }
  } finally {
    lines.close();
  }

  if (!header) throw bad('The file is empty.', 0);
  checked ??= checkAll(header, checkpoints, options.acceptedSigners);
  verifier ??= new ChainVerifier(
    { seq: header.anchor.seq, hash: header.anchor.hash ?? undefined },
    checked.valid,
  );
  verifier.push(chunk);
  const { head } = verifier.finish();
  const problems = [...checked.problems, ...verifier.problems];
  if (!ended && !problems.some((p) => p.kind === 'truncated')) {
    problems.push({
      kind: 'truncated',
      seq: (head?.seq ?? header.anchor.seq) + 1,
      detail: 'The bundle ends without its end line: it was cut short.',
    });
  }
  problems.sort((a, b) => a.seq - b.seq);

  return {
    ok: problems.length === 0,
    records: verifier.records,
    checkpoints: checked.count,
    head,
    signers: checked.signers,
    problems,
    trail: header.trail,
    exportedAt: header.exportedAt,
    ...(hashes ? { hashes } : {}),
  };
}

function checkAll(
  header: BundleHeader,
  checkpoints: CheckpointTable[],
  accepted?: readonly string[],
) {
  const certificates = leafCertificates(
    header.signers.map((s) => ({ fingerprint: s.fingerprint, pem: s.chainPem })),
  );
  return checkCheckpoints(header.trail, checkpoints, certificates, accepted);
}

function parseLine(line: string, lineNo: number): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (cause) {
    throw bad('A line is not JSON.', lineNo, cause);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw bad('A line is not an object.', lineNo);
  return value as Record<string, unknown>;
}

function asHeader(value: Record<string, unknown>): BundleHeader {
  if (value.format !== BUNDLE_FORMAT) throw bad('This is not a trail bundle.', 1);
  if (value.version !== BUNDLE_VERSION) throw bad('The bundle version is not supported.', 1);
  const h = value as unknown as BundleHeader;
  if (
    typeof h.trail !== 'string' ||
    typeof h.anchor?.seq !== 'number' ||
    !Array.isArray(h.signers)
  ) {
    throw bad('The bundle header is incomplete.', 1);
  }
  return h;
}

function asRecord(value: Record<string, unknown>, lineNo: number): HashedColumns {
  if (
    !Number.isSafeInteger(value.seq) ||
    typeof value.hash !== 'string' ||
    typeof value.prev_hash !== 'string'
  ) {
    throw bad('A record line lacks seq, hash or prev_hash.', lineNo);
  }
  return value as unknown as HashedColumns;
}

function bad(message: string, line: number, cause?: unknown): SecurityError {
  return new SecurityError('TRAIL_BUNDLE_INVALID', message, { context: { line }, cause });
}
