// Name constraints of RFC 5280 6.1 (permitted/excluded subtrees) and name matching (4.2.1.10).

import type { GeneralNameKind, GeneralNameView } from './general-names.js';
import { nameWithin } from './name-match.js';

/** Permitted subtrees per name form; a form without an entry is unconstrained. */
type Permitted = Map<GeneralNameKind, readonly GeneralNameView[]>;

/** The permitted_subtrees and excluded_subtrees state variables (RFC 5280 6.1.2 (b), (c)). */
export class NameConstraintsState {
  private readonly permitted: Permitted = new Map();
  private readonly excluded: GeneralNameView[] = [];

  /**
   * RFC 5280 6.1.4 (g): intersect permitted_subtrees with the certificate's permitted subtrees
   * (per name form), and add its excluded subtrees to excluded_subtrees.
   */
  add(
    permitted: readonly GeneralNameView[] | undefined,
    excluded: readonly GeneralNameView[] = [],
  ) {
    // (g)(1): intersection, form by form; a form absent from the extension stays as it was.
    const byKind = new Map<GeneralNameKind, GeneralNameView[]>();
    for (const subtree of permitted ?? []) {
      byKind.set(subtree.kind, [...(byKind.get(subtree.kind) ?? []), subtree]);
    }
    for (const [kind, subtrees] of byKind) {
      const current = this.permitted.get(kind);
      this.permitted.set(kind, current ? intersect(current, subtrees) : subtrees);
    }

    // (g)(2): union.
    this.excluded.push(...excluded);
  }

  /**
   * RFC 5280 6.1.3 (b), (c): true when `name` is within the permitted subtrees of its form (or
   * the form is unconstrained) and within none of the excluded subtrees.
   */
  allows(name: GeneralNameView): boolean {
    const permitted = this.permitted.get(name.kind);
    if (permitted && !permitted.some((subtree) => within(name, subtree))) return false;
    return !this.excluded.some((subtree) => subtree.kind === name.kind && within(name, subtree));
  }
}

/** The intersection of two unions of subtrees: pairs that nest keep the narrower one. */
function intersect(
  a: readonly GeneralNameView[],
  b: readonly GeneralNameView[],
): GeneralNameView[] {
  const result: GeneralNameView[] = [];
  for (const x of a) {
    for (const y of b) {
      if (within(x, y)) result.push(x);
      else if (within(y, x)) result.push(y);
    }
  }
  return result;
}

/**
 * True when `name` lies within the subtree `base` of the same form. For forms the validator does
 * not compare (`other`) any constraint of the form refuses the name (RFC 5280 4.2.1.10).
 */
export function within(name: GeneralNameView, base: GeneralNameView): boolean {
  if (name.kind === 'directoryName' && base.kind === 'directoryName') {
    return nameWithin(name.name, base.name);
  }
  if (name.kind === 'dNSName' && base.kind === 'dNSName') return dnsWithin(name.value, base.value);
  if (name.kind === 'rfc822Name' && base.kind === 'rfc822Name') {
    return mailWithin(name.value, base.value);
  }
  if (name.kind === 'uniformResourceIdentifier' && base.kind === 'uniformResourceIdentifier') {
    // A URI subtree also serves as the base of a narrower URI subtree during intersection.
    const host = uriHost(name.value) ?? name.value.toLowerCase();
    return hostWithin(host, base.value);
  }
  if (name.kind === 'iPAddress' && base.kind === 'iPAddress')
    return ipWithin(name.bytes, base.bytes);
  return false;
}

/** dNSName: the constraint plus any labels to its left; a leading dot means subdomains only. */
function dnsWithin(name: string, base: string): boolean {
  const n = name.toLowerCase().replace(/\.$/, '');
  const b = base.toLowerCase().replace(/\.$/, '');
  if (b === '') return true;
  if (b.startsWith('.')) return n.endsWith(b);
  return n === b || n.endsWith(`.${b}`);
}

/** rfc822Name: a mailbox, all mailboxes at a host, or (leading dot) at hosts within a domain. */
function mailWithin(name: string, base: string): boolean {
  const n = name.toLowerCase();
  const b = base.toLowerCase();
  if (b.includes('@')) return n === b;
  const host = n.includes('@') ? n.slice(n.lastIndexOf('@') + 1) : n;
  if (b.startsWith('.')) return host.endsWith(b);
  return host === b;
}

/** uniformResourceIdentifier constraints apply to the host: exact, or a leading-dot domain. */
function hostWithin(host: string, base: string): boolean {
  const b = base.toLowerCase();
  if (b.startsWith('.')) return host.endsWith(b);
  return host === b;
}

function uriHost(uri: string): string | undefined {
  const match = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)/i.exec(uri);
  return match?.[1]?.toLowerCase();
}

/** iPAddress: the name (4 or 16 bytes) masked equals the base address (8 or 32 bytes). */
function ipWithin(name: Uint8Array, base: Uint8Array): boolean {
  // Intersection compares two subtrees (address + mask): nest when the mask is narrower.
  if (name.length === base.length && name.length % 8 === 0) {
    const half = name.length / 2;
    const nameMask = name.subarray(half);
    return ipWithin(name.subarray(0, half), base) && maskWithin(nameMask, base.subarray(half));
  }
  if (base.length !== name.length * 2) return false;
  const mask = base.subarray(name.length);
  return name.every((byte, i) => (byte & (mask[i] ?? 0)) === ((base[i] ?? 0) & (mask[i] ?? 0)));
}

function maskWithin(narrow: Uint8Array, wide: Uint8Array): boolean {
  return narrow.every((byte, i) => (byte & (wide[i] ?? 0)) === (wide[i] ?? 0));
}
