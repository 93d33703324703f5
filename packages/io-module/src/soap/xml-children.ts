// Reads the children of a verified XML element: child elements, and the text of leaf elements.

import type { VerifiedSoapEnvelope } from '@interop-blocks/security';
import { IoError } from '../errors.js';

/** An element of a verified document (@xmldom/xmldom). */
export type XmlElement = VerifiedSoapEnvelope['body'];

// DOM node types (DOM Standard 4.4): element, text, CDATA section.
const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
const CDATA_SECTION_NODE = 4;

/**
 * The child elements of `element`; text between them must be white space.
 * @throws IoError `IO_ENVELOPE_INVALID` (`context.path`) for any other text.
 */
export function childElements(element: XmlElement, path: string): XmlElement[] {
  const elements: XmlElement[] = [];
  const nodes = element.childNodes;
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes.item(i);
    if (!node) continue;
    if (node.nodeType === ELEMENT_NODE) elements.push(node as XmlElement);
    else if (isText(node.nodeType) && (node.nodeValue ?? '').trim() !== '') {
      throw invalid('The element holds text between its elements.', path);
    }
  }
  return elements;
}

/**
 * The text of a leaf element, exactly as sent (not trimmed).
 * @throws IoError `IO_ENVELOPE_INVALID` (`context.path`) when it holds an element.
 */
export function leafText(element: XmlElement, path: string): string {
  let text = '';
  const nodes = element.childNodes;
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes.item(i);
    if (!node) continue;
    if (node.nodeType === ELEMENT_NODE) throw invalid('A text element holds an element.', path);
    if (isText(node.nodeType)) text += node.nodeValue ?? '';
  }
  return text;
}

/** An `IO_ENVELOPE_INVALID` refusal at a path of the Query element. */
export function invalid(message: string, path: string): IoError {
  return new IoError('IO_ENVELOPE_INVALID', message, { context: { path: path.slice(0, 200) } });
}

function isText(nodeType: number): boolean {
  return nodeType === TEXT_NODE || nodeType === CDATA_SECTION_NODE;
}
