// Jittered exponential backoff between attempts of one enquiry.

/**
 * The delay before attempt `attempt + 1`, after `attempt` failed: "full jitter", a random delay in
 * `[0, min(max, base * 2^(attempt-1))]`, so that retries of many enquiries spread out.
 */
export function backoffDelay(
  attempt: number,
  limits: { backoffBaseMs: number; backoffMaxMs: number },
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(
    limits.backoffMaxMs,
    limits.backoffBaseMs * 2 ** Math.max(0, attempt - 1),
  );
  return Math.round(random() * ceiling);
}
