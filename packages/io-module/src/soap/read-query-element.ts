// Reads the SOAP binding's Query element into the fields of a batch query, checked like JSON.

import { childElements, invalid, leafText, type XmlElement } from './xml-children.js';

/** The text fields of a Query, named as in core's QueryBatchSchema. */
export const QUERY_TEXT_FIELDS = [
  'requestId',
  'issuedAt',
  'source',
  'purpose',
  'legalBasis',
  'case',
  'organisation',
  'official',
  'referenceDate',
] as const;

const TEXT_FIELDS = new Set<string>(QUERY_TEXT_FIELDS);

/**
 * Reads `<Query>` (document/literal, in the dataset's namespace) into a plain object with the
 * names of the JSON binding: `subjects/subject(scheme, id)*` becomes `subjects: [{ scheme, id }]`,
 * `period(from, to)` becomes `period: { from, to }`. Missing elements are left out, so that the
 * batch schema refuses them exactly as it refuses a JSON query without them.
 *
 * @param query - The one element of the verified soap:Body.
 * @param namespace - The dataset's namespace.
 * @throws IoError `IO_ENVELOPE_INVALID` (`context.path`): not a Query of the namespace, an
 *   unknown or repeated element, text where elements belong, elements where text belongs.
 */
export function readQueryElement(query: XmlElement, namespace: string): Record<string, unknown> {
  if (query.namespaceURI !== namespace || query.localName !== 'Query') {
    throw invalid(`The Body holds no Query of ${namespace}.`, '/');
  }

  const fields: Record<string, unknown> = {};
  for (const child of childElements(query, '/')) {
    const name = ownName(child, namespace, '');
    if (Object.hasOwn(fields, name)) throw invalid('An element is repeated.', `/${name}`);
    if (TEXT_FIELDS.has(name)) fields[name] = leafText(child, `/${name}`);
    else if (name === 'subjects') fields.subjects = readSubjects(child, namespace);
    else if (name === 'period') fields.period = readPair(child, namespace, '/period', PERIOD);
    else throw invalid('The Query holds an unknown element.', `/${name}`);
  }
  return fields;
}

const SUBJECT = ['scheme', 'id'] as const;
const PERIOD = ['from', 'to'] as const;

function readSubjects(subjects: XmlElement, namespace: string): Record<string, string>[] {
  return childElements(subjects, '/subjects').map((subject, index) => {
    const path = `/subjects/${index}`;
    if (ownName(subject, namespace, '/subjects') !== 'subject') {
      throw invalid('subjects holds only subject elements.', path);
    }
    return readPair(subject, namespace, path, SUBJECT);
  });
}

/** Reads an element of named text children, each at most once; unknown ones are refused. */
function readPair(
  element: XmlElement,
  namespace: string,
  path: string,
  names: readonly string[],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const child of childElements(element, path)) {
    const name = ownName(child, namespace, path);
    if (!names.includes(name) || Object.hasOwn(out, name)) {
      throw invalid('An unknown or repeated element.', `${path}/${name}`);
    }
    out[name] = leafText(child, `${path}/${name}`);
  }
  return out;
}

function ownName(element: XmlElement, namespace: string, path: string): string {
  const name = element.localName ?? '';
  if (element.namespaceURI !== namespace) {
    throw invalid('An element is not in the Query namespace.', `${path}/${name}`);
  }
  return name;
}
