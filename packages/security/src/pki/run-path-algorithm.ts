// Runs the RFC 5280 6.1 algorithm over one candidate path, from the trust anchor to the target.

import type { Certificate } from './certificate.js';
import { initialState, type AlgorithmInputs } from './path-state.js';
import { prepareNext } from './prepare-next.js';
import { processCertificate } from './process-certificate.js';
import { wrapUp, type LeafRequirements } from './wrap-up.js';

/**
 * RFC 5280 6.1 over `path` (certificate 1, issued by `anchor`, first; the target last). The
 * anchor is trusted input (6.1.1 (d)): its own signature, validity and extensions are not checked.
 *
 * @returns The user-constrained policy set (6.1.6).
 * @throws SecurityError with the code of the first failed step (see the step functions).
 */
export function runPathAlgorithm(
  anchor: Certificate,
  path: readonly Certificate[],
  inputs: AlgorithmInputs,
  requirements: LeafRequirements,
): string[] {
  // 6.1.1 (a): a prospective path of length n; 6.1.2: initialisation.
  const n = path.length;
  const state = initialState(anchor, n, inputs);

  for (let i = 1; i <= n; i++) {
    const cert = path[i - 1] as Certificate;
    // 6.1.3: basic certificate processing.
    processCertificate(state, cert, i, inputs);
    // 6.1.4: preparation for the next certificate, for every certificate but the target.
    if (i < n) prepareNext(state, cert, i);
  }

  // 6.1.5: wrap-up on the target.
  return wrapUp(state, path[n - 1] as Certificate, inputs, requirements);
}
