// Checks checkpoint signatures against their signers' certificates; shared by store and bundle.

import { X509Certificate } from 'node:crypto';
import { checkpointBytes } from './canonical.js';
import type { CheckpointTable } from './schema.js';
import { verifySignature } from './signer.js';
import type { TrailProblem } from './types.js';

/** What the checkpoints say: the signed heads that hold, and the ones that do not. */
export interface CheckedCheckpoints {
  /** seq -> hash of every checkpoint whose signature verifies. */
  valid: Map<number, string>;
  problems: TrailProblem[];
  /** Fingerprints of the certificates that signed valid checkpoints. */
  signers: string[];
  count: number;
}

/**
 * Verifies each checkpoint's signature with the leaf certificate its `signer` names.
 * `acceptedSigners`, when given, lists the only fingerprints accepted.
 */
export function checkCheckpoints(
  trail: string,
  checkpoints: Iterable<CheckpointTable>,
  certificates: Map<string, X509Certificate>,
  acceptedSigners?: readonly string[],
): CheckedCheckpoints {
  const valid = new Map<number, string>();
  const problems: TrailProblem[] = [];
  const signers = new Set<string>();
  let count = 0;

  for (const cp of checkpoints) {
    count += 1;
    const certificate = certificates.get(cp.signer);
    const accepted = !acceptedSigners || acceptedSigners.includes(cp.signer);
    const bytes = checkpointBytes({ trail, seq: cp.seq, hash: cp.hash, time: cp.time });
    let detail: string | undefined;
    if (cp.trail !== trail) detail = 'The checkpoint belongs to another trail.';
    else if (!certificate) detail = 'The certificate of the checkpoint signer is not known.';
    else if (!accepted) detail = 'The checkpoint signer is not one of the accepted signers.';
    else if (
      !verifySignature(cp.algorithm, certificate, bytes, Buffer.from(cp.signature, 'base64'))
    ) {
      detail = 'The checkpoint signature does not verify.';
    }

    if (detail) problems.push({ kind: 'checkpoint-invalid', seq: cp.seq, detail });
    else {
      valid.set(cp.seq, cp.hash);
      signers.add(cp.signer);
    }
  }
  return { valid, problems, signers: [...signers].sort(), count };
}

/** Parses PEM chains by fingerprint into their leaf certificates; skips what does not parse. */
export function leafCertificates(
  chains: Iterable<{ fingerprint: string; pem: string }>,
): Map<string, X509Certificate> {
  const map = new Map<string, X509Certificate>();
  for (const { fingerprint, pem } of chains) {
    try {
      const leaf = new X509Certificate(pem);
      if (leaf.fingerprint256.replace(/:/g, '').toLowerCase() === fingerprint)
        map.set(fingerprint, leaf);
    } catch {
      // a malformed chain leaves its checkpoints unverifiable: they are reported invalid
    }
  }
  return map;
}
