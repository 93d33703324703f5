// Reads the elements and values of a TrustServiceStatusList, with TL_MALFORMED for what is wrong.

import type { Element, Node } from '@xmldom/xmldom';
import { SecurityError } from '../errors.js';
import { TSL_NS } from './tsl-uris.js';

const ELEMENT_NODE = 1;
const XML_NS = 'http://www.w3.org/XML/1998/namespace';

/** The child elements of `parent` in the TSL namespace named `name`, in document order. */
export function tslChildren(parent: Element, name: string): Element[] {
  const found: Element[] = [];
  for (let node: Node | null = parent.firstChild; node; node = node.nextSibling) {
    if (node.nodeType !== ELEMENT_NODE) continue;
    const element = node as Element;
    if (element.namespaceURI === TSL_NS && element.localName === name) found.push(element);
  }
  return found;
}

/**
 * The one child `name` of `parent`, or undefined when absent.
 * @throws SecurityError `TL_MALFORMED` when it appears more than once.
 */
export function optionalChild(parent: Element, name: string): Element | undefined {
  const found = tslChildren(parent, name);
  if (found.length > 1) malformed(`${name} appears more than once.`, name);
  return found[0];
}

/**
 * The one child `name` of `parent`.
 * @throws SecurityError `TL_MALFORMED` when it is absent or repeated.
 */
export function requiredChild(parent: Element, name: string): Element {
  const found = optionalChild(parent, name);
  if (!found) malformed(`${name} is missing.`, name);
  return found;
}

/** The trimmed text of an element (its descendant text nodes). */
export function textOf(element: Element): string {
  return (element.textContent ?? '').trim();
}

/**
 * The non-empty text of the required child `name`.
 * @throws SecurityError `TL_MALFORMED` when missing or empty.
 */
export function requiredText(parent: Element, name: string): string {
  const text = textOf(requiredChild(parent, name));
  if (text === '') malformed(`${name} is empty.`, name);
  return text;
}

/**
 * An xsd:dateTime with an explicit time zone (TS 119 612 5.1.4 asks for UTC).
 * @throws SecurityError `TL_MALFORMED` otherwise.
 */
export function dateTimeOf(text: string, name: string): Date {
  const zoned = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(text);
  const date = new Date(text);
  if (!zoned || Number.isNaN(date.getTime())) malformed(`${name} is not a dateTime in UTC.`, name);
  return date;
}

/**
 * A multilingual name (clause 5.1.4): the `Name` child in English when present, else the first.
 * @throws SecurityError `TL_MALFORMED` when there is no Name.
 */
export function multilingualName(parent: Element, name: string): string {
  const names = tslChildren(requiredChild(parent, name), 'Name');
  const english = names.find((n) => n.getAttributeNS(XML_NS, 'lang') === 'en');
  const chosen = english ?? names[0];
  if (!chosen) malformed(`${name} has no Name.`, name);
  return textOf(chosen);
}

/** Throws `TL_MALFORMED` naming the element at fault. */
export function malformed(message: string, element: string, cause?: unknown): never {
  throw new SecurityError('TL_MALFORMED', `The trusted list is malformed: ${message}`, {
    context: { element },
    cause,
  });
}
