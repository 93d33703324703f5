// The organisation a principal acts for: itself, or the organisation of a person or application.

import type { Principal } from '@interop-blocks/security';

/** The organisation id a principal acts for. */
export function organisationOf(principal: Principal): string {
  return principal.kind === 'organisation'
    ? principal.id
    : (principal.organisationId ?? principal.id);
}
