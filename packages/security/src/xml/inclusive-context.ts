// What Canonical XML 1.0 renders on the apex of a document subset that it inherits from above.

import type { Element, Node } from '@xmldom/xmldom';
import { XMLNS_NS } from './xml-namespaces.js';

const ELEMENT = 1;
const XML_NS = 'http://www.w3.org/XML/1998/namespace';

/**
 * Returns `element`, or a copy of it carrying what its ancestors give it in Canonical XML 1.0:
 * every namespace declaration in scope (section 2.3: the apex gets all its namespace nodes) and
 * the xml:* attributes of the nearest ancestor that has each (section 2.4). xml-crypto renders
 * only what it finds on the element it is given, so the copy holds both. The document is not
 * changed.
 */
export function withInheritedContext(element: Element): Element {
  const namespaces = new Map<string, string>();
  const xmlAttributes = new Map<string, string>();
  for (let at: Node | null = element.parentNode; at; at = at.parentNode) {
    if (at.nodeType === ELEMENT) collect(at as Element, namespaces, xmlAttributes);
  }

  const missing = [...namespaces].filter(([name]) => !element.hasAttribute(name));
  const inherited = [...xmlAttributes].filter(([name]) => !element.hasAttribute(name));
  // Section 2.3: an empty default namespace at the apex is the absence of one; nothing to render.
  const rendered = missing.filter(([name, uri]) => name !== 'xmlns' || uri !== '');
  if (rendered.length === 0 && inherited.length === 0) return element;

  const copy = element.cloneNode(true) as Element;
  for (const [name, uri] of rendered) copy.setAttributeNS(XMLNS_NS, name, uri);
  for (const [name, value] of inherited) copy.setAttributeNS(XML_NS, name, value);
  return copy;
}

// Nearest first: a name already seen belongs to a closer ancestor, which shadows this one.
function collect(
  element: Element,
  namespaces: Map<string, string>,
  xmlAttributes: Map<string, string>,
): void {
  const attributes = element.attributes;
  for (let i = 0; i < attributes.length; i += 1) {
    const attr = attributes.item(i);
    if (!attr) continue;
    const isDeclaration = attr.name === 'xmlns' || attr.name.startsWith('xmlns:');
    if (isDeclaration && !namespaces.has(attr.name)) namespaces.set(attr.name, attr.value);
    if (attr.namespaceURI === XML_NS && !xmlAttributes.has(attr.name)) {
      xmlAttributes.set(attr.name, attr.value);
    }
  }
}
