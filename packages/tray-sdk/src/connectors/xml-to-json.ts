// Turns a verified XML element into plain JSON for the engine's mapping: elements by local name.

/** The part of a DOM node this reads (xmldom and the standard DOM both fit). */
export interface XmlNodeLike {
  readonly nodeType: number;
  readonly localName?: string | null;
  readonly namespaceURI?: string | null;
  readonly childNodes: ArrayLike<XmlNodeLike>;
  readonly textContent: string | null;
  getAttributeNS?(namespace: string, name: string): string | null;
}

const ELEMENT = 1;
const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';

/** The element children of a node. */
export function elementsOf(node: XmlNodeLike): XmlNodeLike[] {
  return Array.from(node.childNodes).filter((child) => child.nodeType === ELEMENT);
}

/**
 * JSON of an element: a leaf is its text (`null` when `xsi:nil="true"`); an element with element
 * children is an object keyed by their local names, a name that repeats becoming an array.
 * Attributes and namespaces are dropped; values stay strings (XML has no other type).
 */
export function xmlToJson(element: XmlNodeLike): unknown {
  if (element.getAttributeNS?.(XSI_NS, 'nil') === 'true') return null;
  const children = elementsOf(element);
  if (children.length === 0) return element.textContent ?? '';

  const out: Record<string, unknown> = {};
  const repeated = new Set<string>();
  for (const child of children) {
    const name = child.localName ?? '';
    const value = xmlToJson(child);
    if (!Object.hasOwn(out, name)) {
      out[name] = value;
    } else if (repeated.has(name)) {
      (out[name] as unknown[]).push(value);
    } else {
      out[name] = [out[name], value];
      repeated.add(name);
    }
  }
  return out;
}

/** A value as a list: arrays as they are, a single value as a list of one, nothing as empty. */
export function listOf(value: unknown): unknown[] {
  if (value === undefined || value === null || value === '') return [];
  return Array.isArray(value) ? value : [value];
}
