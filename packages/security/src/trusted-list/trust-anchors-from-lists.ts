// Turns the CA/QC services of verified trusted lists into trust anchors for the path validator.

import type { Certificate } from '../pki/certificate.js';
import { grantedAnchors, type TrustedList } from './load-trusted-list.js';
import type { StatusPolicy } from './service-status-at.js';

/**
 * The trust anchors for qualified certificates from one or more verified trusted lists, without
 * duplicates: the anchors each list was loaded with, or, when `time` is given, those granted at
 * `time` (e.g. the signing time of a document).
 *
 * @param lists - Lists returned by `loadTrustedList`.
 * @param options - Another time to choose anchors for, and the status policy.
 * @returns Certificates for `PathValidationOptions.trustAnchors`.
 * @example
 * ```ts
 * const anchors = trustAnchorsFromTrustedLists([si, hr], { time: signingTime });
 * await validateCertificatePath(leaf, { trustAnchors: anchors, time: signingTime });
 * ```
 */
export function trustAnchorsFromTrustedLists(
  lists: readonly TrustedList[],
  options: StatusPolicy & { time?: Date } = {},
): Certificate[] {
  const anchors = new Map<string, Certificate>();
  for (const list of lists) {
    const chosen =
      options.time === undefined
        ? list.anchors
        : grantedAnchors(list.services, options.time, options);
    for (const cert of chosen) anchors.set(cert.fingerprintSha256, cert);
  }
  return [...anchors.values()];
}
