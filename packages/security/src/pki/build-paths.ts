// Path building: candidate paths from a target up to a trust anchor, by name, with backtracking.

import type { Certificate } from './certificate.js';
import { certificateExtensions } from './cert-extensions.js';
import { comparableName, type ComparableName } from './name-match.js';

/** Certificates indexed by subject name: the trust anchors and the pool of intermediates. */
export class CertificatePool {
  private readonly anchorsBySubject = new Map<string, Certificate[]>();
  private readonly intermediatesBySubject = new Map<string, Certificate[]>();
  private readonly anchorPrints = new Set<string>();

  /** Indexes the anchors and the intermediates (an intermediate equal to an anchor is dropped). */
  constructor(anchors: readonly Certificate[], intermediates: readonly Certificate[] = []) {
    for (const anchor of anchors) {
      if (this.anchorPrints.has(anchor.fingerprintSha256)) continue;
      this.anchorPrints.add(anchor.fingerprintSha256);
      push(this.anchorsBySubject, anchor);
    }
    const seen = new Set<string>();
    for (const cert of intermediates) {
      if (this.anchorPrints.has(cert.fingerprintSha256) || seen.has(cert.fingerprintSha256))
        continue;
      seen.add(cert.fingerprintSha256);
      push(this.intermediatesBySubject, cert);
    }
  }

  /** True when `cert` is one of the trust anchors. */
  isAnchor(cert: Certificate): boolean {
    return this.anchorPrints.has(cert.fingerprintSha256);
  }

  /** Anchors whose subject is `name`. */
  anchorsNamed(name: ComparableName): readonly Certificate[] {
    return this.anchorsBySubject.get(name.key) ?? [];
  }

  /** Intermediates whose subject is `name`. */
  intermediatesNamed(name: ComparableName): readonly Certificate[] {
    return this.intermediatesBySubject.get(name.key) ?? [];
  }
}

/** A candidate path: the anchor and the certificates from the one it issued down to the target. */
export interface CandidatePath {
  readonly anchor: Certificate;
  readonly path: readonly Certificate[];
}

/** Limits of path building. */
export interface BuildLimits {
  /** Most certificates between anchor and target, both included; default 10. */
  readonly maxDepth: number;
  /** Most candidate paths tried; default 64. */
  readonly maxCandidates: number;
}

/**
 * Yields candidate paths from `target` to an anchor, depth first. Issuers are found by name
 * (RFC 5280 7.1); a matching authority/subject key identifier only orders the candidates, it is
 * not required. Anchors come before intermediates; no certificate appears twice in a path.
 */
export function* candidatePaths(
  target: Certificate,
  pool: CertificatePool,
  limits: BuildLimits,
): Generator<CandidatePath> {
  let yielded = 0;
  const stack: Certificate[] = [target];
  const inPath = new Set<string>([target.fingerprintSha256]);

  function* extend(cert: Certificate): Generator<CandidatePath> {
    if (yielded >= limits.maxCandidates) return;
    const issuerName = comparableName(cert.raw.issuer);
    const aki = certificateExtensions(cert.raw).authorityKeyId;

    for (const anchor of byKeyIdHint(pool.anchorsNamed(issuerName), aki)) {
      if (inPath.has(anchor.fingerprintSha256)) continue;
      yielded++;
      yield { anchor, path: [...stack].reverse() };
      if (yielded >= limits.maxCandidates) return;
    }

    if (stack.length >= limits.maxDepth) return;
    for (const issuer of byKeyIdHint(pool.intermediatesNamed(issuerName), aki)) {
      if (inPath.has(issuer.fingerprintSha256)) continue;
      stack.push(issuer);
      inPath.add(issuer.fingerprintSha256);
      yield* extend(issuer);
      inPath.delete(issuer.fingerprintSha256);
      stack.pop();
    }
  }

  yield* extend(target);
}

/** Candidates whose subject key identifier matches the authority key identifier come first. */
function byKeyIdHint(candidates: readonly Certificate[], aki: string | undefined): Certificate[] {
  if (!aki) return [...candidates];
  const matches = (c: Certificate) => certificateExtensions(c.raw).subjectKeyId === aki;
  return [...candidates.filter(matches), ...candidates.filter((c) => !matches(c))];
}

function push(map: Map<string, Certificate[]>, cert: Certificate): void {
  const key = comparableName(cert.raw.subject).key;
  map.set(key, [...(map.get(key) ?? []), cert]);
}
