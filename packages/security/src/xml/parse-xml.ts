// Parses untrusted XML with @xmldom/xmldom and refuses what XML attacks are made of.

import { DOMParser, type Document } from '@xmldom/xmldom';
import { SecurityError } from '../errors.js';
import { walkDocument, type DocumentIndex } from './walk-document.js';

/** Limits applied to untrusted XML. */
export interface XmlParseOptions {
  /** Largest accepted document, in UTF-8 bytes. Default 1 MiB. */
  maxBytes?: number;
  /** Deepest accepted element nesting (the root is depth 1). Default 64. */
  maxDepth?: number;
}

/** Default of {@link XmlParseOptions.maxBytes}. */
export const DEFAULT_MAX_XML_BYTES = 1024 * 1024;
/** Default of {@link XmlParseOptions.maxDepth}. */
export const DEFAULT_MAX_XML_DEPTH = 64;

/**
 * Parses XML that comes from outside, refusing DOCTYPE (hence every internal or external entity
 * and entity expansion), processing instructions other than the XML declaration, documents over
 * `maxBytes`, nesting over `maxDepth`, and anything xmldom reports as a warning or an error.
 *
 * @param input - The document as text, or as UTF-8 bytes.
 * @param options - Size and depth limits.
 * @returns The parsed document.
 * @throws SecurityError `XML_TOO_LARGE`, `XML_MALFORMED` (with `line` and `column` in context),
 *   `XML_DOCTYPE_FORBIDDEN`, `XML_PROCESSING_INSTRUCTION_FORBIDDEN`, `XML_TOO_DEEP`.
 * @example
 * ```ts
 * const doc = parseXmlSafely(await request.text(), { maxBytes: 256 * 1024 });
 * ```
 */
export function parseXmlSafely(
  input: string | Uint8Array,
  options: XmlParseOptions = {},
): Document {
  const doc = parseUntrusted(input, options);
  walkDocument(doc, { maxDepth: options.maxDepth ?? DEFAULT_MAX_XML_DEPTH, index: false });
  return doc;
}

/** Parses like {@link parseXmlSafely} and indexes ids and signatures in the same walk. */
export function parseAndIndex(
  input: string | Uint8Array,
  options: XmlParseOptions,
): { document: Document; index: DocumentIndex } {
  const document = parseUntrusted(input, options);
  const index = walkDocument(document, {
    maxDepth: options.maxDepth ?? DEFAULT_MAX_XML_DEPTH,
    index: true,
  });
  return { document, index };
}

function parseUntrusted(input: string | Uint8Array, options: XmlParseOptions): Document {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_XML_BYTES;
  const text = decode(input, maxBytes);
  refuseDoctype(text);

  let doc: Document;
  try {
    doc = new DOMParser({
      locator: true,
      normalizeLineEndings: normalizeXml10LineEndings,
      onError: (level, message) => {
        throw new Error(`${level}: ${message}`);
      },
    }).parseFromString(text, 'text/xml');
  } catch (cause) {
    const locator = (cause as { locator?: { lineNumber?: number; columnNumber?: number } }).locator;
    throw new SecurityError('XML_MALFORMED', 'The XML document is not well-formed.', {
      context: { line: locator?.lineNumber, column: locator?.columnNumber },
      cause,
    });
  }
  if (!doc.documentElement) {
    throw new SecurityError('XML_MALFORMED', 'The XML document has no root element.');
  }
  return doc;
}

function decode(input: string | Uint8Array, maxBytes: number): string {
  if (typeof input !== 'string') {
    if (input.byteLength > maxBytes) throw tooLarge(input.byteLength, maxBytes);
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(input);
    } catch (cause) {
      throw new SecurityError('XML_MALFORMED', 'The XML document is not valid UTF-8.', { cause });
    }
  }

  // A UTF-16 code unit takes at least one UTF-8 byte and at most three.
  if (input.length > maxBytes) throw tooLarge(input.length, maxBytes);
  if (input.length * 3 > maxBytes) {
    const bytes = Buffer.byteLength(input, 'utf8');
    if (bytes > maxBytes) throw tooLarge(bytes, maxBytes);
  }
  return input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
}

function tooLarge(bytes: number, maxBytes: number): SecurityError {
  return new SecurityError('XML_TOO_LARGE', 'The XML document is larger than allowed.', {
    context: { bytes, maxBytes },
  });
}

// XML 1.0 section 2.8: the prolog is XMLDecl? Misc* (doctypedecl Misc*)?. Only a DOCTYPE there
// can declare entities, so the prolog is scanned before xmldom sees the text; the walk checks
// the parsed tree again.
function refuseDoctype(text: string): void {
  let at = 0;
  for (;;) {
    while (at < text.length && isXmlSpace(text.charCodeAt(at))) at += 1;
    if (text.startsWith('<?', at)) {
      const end = text.indexOf('?>', at + 2);
      if (end < 0) return;
      at = end + 2;
    } else if (text.startsWith('<!--', at)) {
      const end = text.indexOf('-->', at + 4);
      if (end < 0) return;
      at = end + 3;
    } else {
      break;
    }
  }
  if (text.startsWith('<!DOCTYPE', at)) {
    throw new SecurityError('XML_DOCTYPE_FORBIDDEN', 'The XML document has a DOCTYPE.');
  }
}

function isXmlSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

// XML 1.0 section 2.11 (xmldom defaults to the XML 1.1 rules, which also fold U+0085, U+2028 and
// U+2029; other XML-DSig implementations would then digest different text).
function normalizeXml10LineEndings(source: string): string {
  return source.replace(/\r\n?/g, '\n');
}
