// Reads an uploaded XML batch of answers: parse, validate against the XSD, verify, extract.

import {
  organisationOf,
  SecurityError,
  parseXmlSafely,
  verifyXml,
  type Certificate,
  type Principal,
  type XmlSignerTrust,
} from '@interop-blocks/security';
import { AsyncError } from '../errors.js';
import type { SourceAnswer, SourceDecline } from '../types.js';
import { validateBatch } from './validate-batch.js';
import { childElements, childNamed, positionOf, textOf, type XmlElement } from './xml-nodes.js';

/** How an answer file is checked. */
export interface ReadAnswerFileOptions {
  /** The room the file was uploaded to; the file must name it. */
  room: string;
  /** The organisation that answers for the room; the file must be signed by it. */
  owner: string;
  /** Where the signer key comes from: a `CertificateValidator` (or a resolver). */
  trust: XmlSignerTrust;
  /** Maps the signer certificate to its registered principal. */
  resolvePrincipal(certificate: Certificate): Promise<Principal | undefined>;
  /** Largest accepted file in bytes. Default 8 MiB. */
  maxBytes?: number;
  signal?: AbortSignal;
}

/** The content of a valid answer file. */
export interface AnswerFile {
  room: string;
  answers: SourceAnswer[];
  declines: SourceDecline[];
}

/**
 * Checks an uploaded `AnswerBatch` completely before anything is used: well-formed XML (the
 * Security Platform's hardened parser), the XSD's structure and types, unique request ids,
 * `Data` as JSON, the room, then the XML-DSig signature of the whole document by the room owner.
 * The values are read from the element the signature verification returned.
 *
 * @throws AsyncError `ASYNC_FILE_MALFORMED`, `ASYNC_FILE_INVALID`, `ASYNC_FILE_DUPLICATE_ID`,
 *   `ASYNC_FILE_ROOM_MISMATCH`, `ASYNC_FILE_SIGNATURE_INVALID`, `ASYNC_FILE_SIGNER_MISMATCH`;
 *   each with `line` and `column` where an element is at fault.
 */
export async function readAnswerFile(
  xml: string | Uint8Array,
  options: ReadAnswerFileOptions,
): Promise<AnswerFile> {
  const maxBytes = options.maxBytes ?? 8 * 1024 * 1024;
  const root = parse(xml, maxBytes);
  validateBatch(root, 'AnswerBatch');
  checkContent(root, options.room);

  let verified;
  try {
    verified = await verifyXml(xml, { trust: options.trust, maxBytes, signal: options.signal });
  } catch (err) {
    if (!(err instanceof SecurityError)) throw err;
    throw new AsyncError('ASYNC_FILE_SIGNATURE_INVALID', 'The file signature does not verify.', {
      context: { xmlCode: err.code },
      cause: err,
    });
  }
  const principal = await options.resolvePrincipal(verified.signer);
  if (!principal || organisationOf(principal) !== options.owner) {
    throw new AsyncError('ASYNC_FILE_SIGNER_MISMATCH', 'The file is not signed by the room owner.');
  }

  return { room: options.room, ...extract(verified.element as unknown as XmlElement) };
}

function parse(xml: string | Uint8Array, maxBytes: number): XmlElement {
  try {
    return parseXmlSafely(xml, { maxBytes }).documentElement!;
  } catch (err) {
    if (!(err instanceof SecurityError)) throw err;
    const { line, column } = err.context;
    throw new AsyncError('ASYNC_FILE_MALFORMED', 'The file is not well-formed XML.', {
      context: { xmlCode: err.code, line: line ?? null, column: column ?? null },
      cause: err,
    });
  }
}

/** Ids unique, room as uploaded, `Data` is JSON: the checks the XSD cannot express. */
function checkContent(root: XmlElement, room: string): void {
  if (root.getAttribute('room') !== room) {
    throw new AsyncError('ASYNC_FILE_ROOM_MISMATCH', 'The file names another room.', {
      context: { ...positionOf(root) },
    });
  }
  const seen = new Set<string>();
  for (const item of items(root)) {
    const id = item.getAttribute('requestId')!;
    if (seen.has(id)) {
      throw new AsyncError('ASYNC_FILE_DUPLICATE_ID', 'A request id appears twice in the file.', {
        context: { ...positionOf(item) },
      });
    }
    seen.add(id);
    const data = childNamed(item, 'Data');
    if (data) {
      try {
        JSON.parse(textOf(data));
      } catch {
        const { line, column } = positionOf(data);
        throw new AsyncError(
          'ASYNC_FILE_INVALID',
          `Line ${line}, column ${column}: Data is not JSON.`,
          {
            context: { element: 'Data', line, column, rule: 'json' },
          },
        );
      }
    }
  }
}

function items(root: XmlElement): XmlElement[] {
  return childElements(root).filter((e) => e.localName === 'Answer' || e.localName === 'Decline');
}

function extract(root: XmlElement): { answers: SourceAnswer[]; declines: SourceDecline[] } {
  const answers: SourceAnswer[] = [];
  const declines: SourceDecline[] = [];
  for (const item of items(root)) {
    const requestId = item.getAttribute('requestId')!;
    if (item.localName === 'Decline') {
      const message = childNamed(item, 'Message');
      declines.push({
        requestId,
        reason: {
          code: item.getAttribute('code')!,
          ...(message ? { message: textOf(message) } : {}),
        },
      });
      continue;
    }
    const version = childNamed(item, 'Version');
    const data = childNamed(item, 'Data');
    answers.push({
      requestId,
      status: item.getAttribute('status') as SourceAnswer['status'],
      ...(version ? { version: textOf(version) } : {}),
      ...(data ? { data: JSON.parse(textOf(data)) as unknown } : {}),
    });
  }
  return { answers, declines };
}
