// The xmldom node types as the Security Platform's parser returns them, and their positions.

import type { parseXmlSafely } from '@interop-blocks/security';

/** A parsed XML document. */
export type XmlDocument = ReturnType<typeof parseXmlSafely>;

/** An element of a parsed XML document. */
export type XmlElement = NonNullable<XmlDocument['documentElement']>;

/** Where a node starts in the file (1-based), as the parser's locator saw it. */
export function positionOf(node: XmlElement): { line: number | null; column: number | null } {
  const located = node as unknown as { lineNumber?: number; columnNumber?: number };
  return { line: located.lineNumber ?? null, column: located.columnNumber ?? null };
}

/** The element children of an element, in document order. */
export function childElements(element: XmlElement): XmlElement[] {
  const children: XmlElement[] = [];
  for (let node = element.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === 1) children.push(node as XmlElement);
  }
  return children;
}

/** The first element child named `localName` in the batch namespace, if any. */
export function childNamed(element: XmlElement, localName: string): XmlElement | undefined {
  return childElements(element).find((child) => child.localName === localName);
}

/** The text of an element (its text and CDATA children). */
export function textOf(element: XmlElement): string {
  let text = '';
  for (let node = element.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === 3 || node.nodeType === 4) text += node.nodeValue ?? '';
  }
  return text;
}
