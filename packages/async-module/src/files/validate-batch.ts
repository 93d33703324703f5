// Strict validation of a batch file against the XSD's rules, with the line of the offending node.

import { AsyncError } from '../errors.js';
import {
  BATCH_ELEMENTS,
  BATCH_NAMESPACE,
  BATCH_SIMPLE_TYPES,
  type ChoiceParticle,
  type ElementParticle,
  type ElementSpec,
} from './batch-schema.js';
import { childElements, positionOf, textOf, type XmlElement } from './xml-nodes.js';

const DSIG_NS = 'http://www.w3.org/2000/09/xmldsig#';
const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';
const DATE_TIME = /^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;
const DATE = /^-?\d{4,}-\d{2}-\d{2}(Z|[+-]\d{2}:\d{2})?$/;

/**
 * Checks that `root` is the element `rootName` of the batch namespace and that it and every
 * descendant follow the XSD: element names, namespace, order and cardinality, required and
 * unknown attributes, and the simple types of attribute values and text. The one ds:Signature
 * is only placed here; the XML-DSig verification checks its content.
 *
 * @throws AsyncError `ASYNC_FILE_INVALID` with `element`, `line`, `column` and `rule` (and
 *   `attribute` when an attribute is at fault) in its context.
 */
export function validateBatch(root: XmlElement, rootName: 'RequestBatch' | 'AnswerBatch'): void {
  if (root.namespaceURI !== BATCH_NAMESPACE || root.localName !== rootName) {
    throw invalid(root, 'root', `The root element must be ${rootName} in ${BATCH_NAMESPACE}.`);
  }
  validateElement(root, BATCH_ELEMENTS[rootName]!);
}

function validateElement(element: XmlElement, spec: ElementSpec): void {
  validateAttributes(element, spec);
  if (spec.type !== undefined) {
    const child = childElements(element)[0];
    if (child) throw invalid(child, 'unexpected-element', `${element.localName} has text only.`);
    checkValue(element, spec.type, textOf(element), undefined);
    return;
  }
  rejectText(element);

  const children = childElements(element);
  let at = 0;
  for (const particle of spec.sequence) {
    const names = 'ref' in particle ? [particle.ref] : particle.choice;
    let count = 0;
    const max = particle.max === 'unbounded' ? Infinity : particle.max;
    // One past `max` is left for the check below, which names that element and its line.
    while (count < max && at < children.length && matchesAny(children[at]!, names)) {
      const child = children[at]!;
      if (!isSignature(child)) validateElement(child, BATCH_ELEMENTS[child.localName!]!);
      count += 1;
      at += 1;
    }
    checkCount(element, children[at], particle, count);
  }
  const extra = children[at];
  if (extra) {
    throw invalid(extra, 'unexpected-element', `${extra.localName} is not expected here.`);
  }
}

function validateAttributes(element: XmlElement, spec: ElementSpec): void {
  const known = new Map(spec.attributes.map((a) => [a.name, a]));
  for (let i = 0; i < element.attributes.length; i += 1) {
    const attribute = element.attributes.item(i)!;
    if (attribute.namespaceURI === XMLNS_NS || attribute.name === 'xmlns') continue;
    if (attribute.namespaceURI || !known.has(attribute.name)) {
      throw invalid(element, 'unknown-attribute', `Unknown attribute ${attribute.name}.`, {
        attribute: attribute.name,
      });
    }
  }
  for (const attribute of spec.attributes) {
    const value = element.getAttribute(attribute.name);
    if (value === null || !element.hasAttribute(attribute.name)) {
      if (!attribute.required) continue;
      throw invalid(element, 'missing-attribute', `Attribute ${attribute.name} is required.`, {
        attribute: attribute.name,
      });
    }
    checkValue(element, attribute.type, value, attribute.name);
  }
}

function checkValue(element: XmlElement, type: string, value: string, attribute?: string): void {
  const where: Record<string, string> = attribute ? { attribute } : {};
  const fail = (why: string) =>
    invalid(element, 'type', `${attribute ?? element.localName} ${why} (${type}).`, where);

  if (type === 'xs:dateTime') {
    if (!DATE_TIME.test(value) || Number.isNaN(Date.parse(value))) throw fail('is not a dateTime');
    return;
  }
  if (type === 'xs:date') {
    if (!DATE.test(value) || Number.isNaN(Date.parse(value.slice(0, 10)))) {
      throw fail('is not a date');
    }
    return;
  }
  const simple = BATCH_SIMPLE_TYPES[type];
  if (!simple) throw new Error(`The batch schema names an unknown type ${type}.`);
  const length = [...value].length;
  if (simple.minLength !== undefined && length < simple.minLength) throw fail('is too short');
  if (simple.maxLength !== undefined && length > simple.maxLength) throw fail('is too long');
  if (simple.enumeration && !simple.enumeration.includes(value)) throw fail('is not allowed');
  // XSD patterns match the whole value (XML Schema Part 2, appendix F).
  if (simple.pattern !== undefined && !new RegExp(`^(?:${simple.pattern})$`, 'u').test(value)) {
    throw fail('does not match its pattern');
  }
}

function checkCount(
  parent: XmlElement,
  next: XmlElement | undefined,
  particle: ElementParticle | ChoiceParticle,
  count: number,
): void {
  const name = 'ref' in particle ? particle.ref : particle.choice.join(' or ');
  if (count < particle.min) {
    const at = next ?? parent;
    throw invalid(at, 'missing-element', `${parent.localName} needs ${name} here.`, {
      expected: name,
    });
  }
}

function matchesAny(element: XmlElement, names: string[]): boolean {
  return names.some((name) =>
    name === 'ds:Signature'
      ? isSignature(element)
      : element.namespaceURI === BATCH_NAMESPACE && element.localName === name,
  );
}

function isSignature(element: XmlElement): boolean {
  return element.namespaceURI === DSIG_NS && element.localName === 'Signature';
}

function rejectText(element: XmlElement): void {
  for (let node = element.firstChild; node; node = node.nextSibling) {
    if ((node.nodeType === 3 || node.nodeType === 4) && (node.nodeValue ?? '').trim() !== '') {
      throw invalid(element, 'unexpected-text', `${element.localName} holds elements only.`);
    }
  }
}

function invalid(
  element: XmlElement,
  rule: string,
  message: string,
  extra: Record<string, string> = {},
): AsyncError {
  const { line, column } = positionOf(element);
  return new AsyncError(
    'ASYNC_FILE_INVALID',
    `Line ${line ?? '?'}, column ${column ?? '?'}: ${message}`,
    {
      context: { element: element.localName ?? '', line, column, rule, ...extra },
    },
  );
}
