// Exclusive or inclusive XML canonicalisation (without comments) of an element, by xml-crypto.

import type { Element } from '@xmldom/xmldom';
import { C14nCanonicalization, ExclusiveCanonicalization } from 'xml-crypto';
import { SecurityError } from '../errors.js';
import { isInside } from './dom-helpers.js';
import { withInheritedContext } from './inclusive-context.js';
import { XMLNS_NS } from './xml-namespaces.js';

// xml-crypto types its input with the global DOM `Node` (absent, or the browser's, depending on
// which libraries a program loads); it works on xmldom nodes, which is what it is given here.
type Process = (node: unknown, options: { inclusiveNamespacesPrefixList?: string[] }) => unknown;
const excC14n = new ExclusiveCanonicalization();
const incC14n = new C14nCanonicalization();
const processExclusive = excC14n.process.bind(excC14n) as Process;
const processInclusive = incC14n.process.bind(incC14n) as Process;

/** A canonicalisation method: Exclusive XML Canonicalization 1.0 or Canonical XML 1.0. */
export type C14nMethod = 'exclusive' | 'inclusive';

/** How to canonicalise one element. */
export interface CanonicalizeOptions {
  /** Default `'exclusive'`. */
  method?: C14nMethod;
  /** exc-c14n InclusiveNamespaces PrefixList (Exclusive XML Canonicalization 1.0 section 3). */
  inclusivePrefixes?: readonly string[];
  /** A descendant Signature to leave out: the enveloped-signature transform. */
  envelopedSignature?: Element;
}

/**
 * Returns the canonical form of `element` (Exclusive XML Canonicalization 1.0 by default, or
 * Canonical XML 1.0; no comments). The element's document is left as it was found.
 */
export function canonicalize(element: Element, options: CanonicalizeOptions = {}): string {
  const signature = options.envelopedSignature;
  const parent = signature && isInside(signature, element) ? signature.parentNode : null;
  const next = signature?.nextSibling ?? null;

  // XML-DSig 1.1 section 6.6.4: the enveloped-signature transform removes the whole Signature
  // element from the node-set. It is taken out for the moment of canonicalisation only.
  if (parent && signature) parent.removeChild(signature);
  try {
    if (options.method === 'inclusive') return run(processInclusive, withInheritedContext(element));
    return run(processExclusive, withInclusivePrefixes(element, options.inclusivePrefixes ?? []), [
      ...(options.inclusivePrefixes ?? []),
    ]);
  } finally {
    if (parent && signature) parent.insertBefore(signature, next);
  }
}

function run(process: Process, element: Element, prefixes: string[] = []): string {
  let out: unknown;
  try {
    out = process(element, { inclusiveNamespacesPrefixList: prefixes });
  } catch (cause) {
    throw new SecurityError('XML_MALFORMED', 'An element cannot be canonicalised.', { cause });
  }
  if (typeof out !== 'string') {
    throw new SecurityError('XML_MALFORMED', 'Canonicalisation gave no octets.');
  }
  return out;
}

// Exclusive XML Canonicalization 1.0 section 3: a prefix on the InclusiveNamespaces list is
// treated as by inclusive c14n, so its declaration in scope at the apex must be rendered.
// xml-crypto renders declarations it finds on the element itself, so a copy of the apex gets them.
function withInclusivePrefixes(element: Element, prefixes: readonly string[]): Element {
  // TODO(c14n-default): '#default' (the default namespace) is ignored; no peer has needed it yet.
  const wanted = prefixes.filter((p) => p !== '#default' && !element.hasAttribute(`xmlns:${p}`));
  if (wanted.length === 0) return element;

  const copy = element.cloneNode(true) as Element;
  for (const prefix of wanted) {
    const uri = element.lookupNamespaceURI(prefix);
    if (uri) copy.setAttributeNS(XMLNS_NS, `xmlns:${prefix}`, uri);
  }
  return copy;
}
