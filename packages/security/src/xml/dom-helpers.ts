// Small strict DOM readers shared by the XML-DSig and SOAP code.

import type { Element, Node } from '@xmldom/xmldom';
import { SecurityError } from '../errors.js';
import type { XmldsigErrorCode } from './xmldsig-error-code.js';

const ELEMENT = 1;
const TEXT = 3;
const CDATA = 4;

/**
 * The element children of `parent`; text between them must be white space.
 * @throws SecurityError `code` when `parent` holds other text.
 */
export function elementChildren(parent: Element, code: XmldsigErrorCode): Element[] {
  const out: Element[] = [];
  for (let child: Node | null = parent.firstChild; child; child = child.nextSibling) {
    if (child.nodeType === ELEMENT) out.push(child as Element);
    else if ((child.nodeType === TEXT || child.nodeType === CDATA) && !isBlank(child)) {
      throw new SecurityError(code, 'An element holds text where only elements belong.', {
        context: { element: parent.localName, line: child.lineNumber },
      });
    }
  }
  return out;
}

/** True when `node` is an element with this namespace and local name. */
export function isElement(node: Node | null | undefined, ns: string, name: string): boolean {
  return !!node && node.nodeType === ELEMENT && node.localName === name && node.namespaceURI === ns;
}

/**
 * The text of a leaf element (text and CDATA only).
 * @throws SecurityError `code` when the element has element children.
 */
export function leafText(element: Element, code: XmldsigErrorCode): string {
  let text = '';
  for (let child: Node | null = element.firstChild; child; child = child.nextSibling) {
    if (child.nodeType === TEXT || child.nodeType === CDATA) text += child.nodeValue ?? '';
    else {
      throw new SecurityError(code, 'A value element holds more than text.', {
        context: { element: element.localName, line: element.lineNumber },
      });
    }
  }
  return text;
}

/**
 * Decodes base64 text (XML Schema base64Binary, white space allowed).
 * @throws SecurityError `code` on other characters or a bad length.
 */
export function decodeBase64(text: string, code: XmldsigErrorCode, what: string): Buffer {
  const compact = text.replace(/[ \t\r\n]+/g, '');
  if (compact.length === 0 || compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) {
    throw new SecurityError(code, `The ${what} is not base64.`, { context: { what } });
  }
  return Buffer.from(compact, 'base64');
}

/** True when `node` lies strictly inside `ancestor`. */
export function isInside(node: Node, ancestor: Node): boolean {
  for (let at = node.parentNode; at; at = at.parentNode) if (at === ancestor) return true;
  return false;
}

function isBlank(node: Node): boolean {
  return /^[ \t\r\n]*$/.test(node.nodeValue ?? '');
}
