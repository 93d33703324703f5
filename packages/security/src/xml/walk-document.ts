// One walk over a parsed document: limits, forbidden nodes, and (for verification) an id index.

import type { Document, Element, Node } from '@xmldom/xmldom';
import { SecurityError } from '../errors.js';
import { DSIG_NS, XMLNS_NS } from './xml-namespaces.js';

/** What verification needs from the document, found in the same walk that checks the limits. */
export interface DocumentIndex {
  /** Every Id / ID / id attribute value (any namespace: wsu:Id, xml:id, ...) to its element. */
  readonly ids: ReadonlyMap<string, Element>;
  /** Every ds:Signature element, in document order. */
  readonly signatures: readonly Element[];
}

interface WalkOptions {
  maxDepth: number;
  /** Index ids and signatures, refuse duplicate ids, and drop comments from the tree. */
  index: boolean;
}

const ELEMENT = 1;
const PROCESSING_INSTRUCTION = 7;
const COMMENT = 8;
const DOCUMENT_TYPE = 10;
const ID_NAMES = new Set(['Id', 'ID', 'id']);

/**
 * Walks the whole tree once, without recursion.
 * @throws SecurityError `XML_DOCTYPE_FORBIDDEN`, `XML_PROCESSING_INSTRUCTION_FORBIDDEN`,
 *   `XML_TOO_DEEP`, `XML_DUPLICATE_ID` (indexing only).
 */
export function walkDocument(doc: Document, options: WalkOptions): DocumentIndex {
  const ids = new Map<string, Element>();
  const signatures: Element[] = [];
  const comments: Node[] = [];
  checkDocumentChildren(doc);

  const root = doc.documentElement;
  let node: Node | null = root;
  let depth = 1;
  while (node) {
    if (node.nodeType === ELEMENT) {
      if (depth > options.maxDepth) throw tooDeep(node, options.maxDepth);
      if (options.index) indexElement(node as Element, ids, signatures);
    } else if (node.nodeType === PROCESSING_INSTRUCTION) {
      throw processingInstruction(node);
    } else if (node.nodeType === COMMENT && options.index) {
      comments.push(node);
    }

    if (node.nodeType === ELEMENT && node.firstChild) {
      node = node.firstChild;
      depth += 1;
      continue;
    }
    while (node && node !== root && !node.nextSibling) {
      node = node.parentNode;
      depth -= 1;
    }
    node = node === root || !node ? null : node.nextSibling;
  }

  if (options.index) dropComments(comments);
  return { ids, signatures };
}

function checkDocumentChildren(doc: Document): void {
  let first = true;
  for (let child = doc.firstChild; child; child = child.nextSibling) {
    if (child.nodeType === DOCUMENT_TYPE) {
      throw new SecurityError('XML_DOCTYPE_FORBIDDEN', 'The XML document has a DOCTYPE.');
    }
    // XML 1.0 section 2.8: xmldom reports the XML declaration as a processing instruction.
    if (child.nodeType === PROCESSING_INSTRUCTION && !(first && child.nodeName === 'xml')) {
      throw processingInstruction(child);
    }
    first = false;
  }
}

function indexElement(element: Element, ids: Map<string, Element>, signatures: Element[]): void {
  if (element.localName === 'Signature' && element.namespaceURI === DSIG_NS) {
    signatures.push(element);
  }
  const attributes = element.attributes;
  for (let i = 0; i < attributes.length; i += 1) {
    const attr = attributes.item(i);
    if (!attr || !ID_NAMES.has(attr.localName ?? '') || attr.namespaceURI === XMLNS_NS) continue;
    const seen = ids.get(attr.value);
    if (seen && seen !== element) {
      throw new SecurityError('XML_DUPLICATE_ID', 'Two elements carry the same id.', {
        context: { element: element.localName, line: element.lineNumber, first: seen.lineNumber },
      });
    }
    ids.set(attr.value, element);
  }
}

// Canonical XML without comments digests none of them (XML-DSig 1.1 section 4.4.3.3), so they are
// taken out, and the text around each merged, before anyone reads the signed elements: a reader
// of the first text node then sees exactly the text that was signed.
function dropComments(comments: Node[]): void {
  const parents = new Set<Node>();
  for (const comment of comments) {
    const parent = comment.parentNode;
    if (!parent) continue;
    parent.removeChild(comment);
    parents.add(parent);
  }
  for (const parent of parents) parent.normalize();
}

function tooDeep(node: Node, maxDepth: number): SecurityError {
  return new SecurityError('XML_TOO_DEEP', 'The XML document nests elements too deeply.', {
    context: { maxDepth, line: node.lineNumber },
  });
}

function processingInstruction(node: Node): SecurityError {
  return new SecurityError(
    'XML_PROCESSING_INSTRUCTION_FORBIDDEN',
    'The XML document has a processing instruction.',
    { context: { line: node.lineNumber, column: node.columnNumber } },
  );
}
