// Fills the placeholders of request templates (`{{subject.id}}`, `{{purpose}}`, ...) per enquiry.

import type { Enquiry } from './connector.js';

const PLACEHOLDER = /\{\{\s*([A-Za-z.]+)\s*\}\}/g;
/** The placeholder that makes a body template carry the whole batch: `"{{subjects}}"`. */
export const SUBJECTS_PLACEHOLDER = '{{subjects}}';

/** The value of each placeholder for an enquiry; absent optional facts are empty. */
export function templateValues(enquiry: Enquiry): Record<string, string> {
  return {
    'subject.id': enquiry.subject.id,
    'subject.scheme': enquiry.subject.scheme,
    purpose: enquiry.purpose,
    legalBasis: enquiry.legalBasis,
    case: enquiry.case,
    caseId: enquiry.caseId,
    organisation: enquiry.organisation,
    official: enquiry.official,
    requestId: enquiry.requestId,
    issuedAt: enquiry.issuedAt,
    source: enquiry.source,
    'period.from': enquiry.period?.from ?? '',
    'period.to': enquiry.period?.to ?? '',
    referenceDate: enquiry.referenceDate ?? '',
  };
}

/** Thrown for a placeholder the templates do not know; caught by the connectors. */
export class TemplateError extends Error {
  constructor(readonly placeholder: string) {
    super(`Unknown placeholder ${placeholder}.`);
  }
}

/** Replaces every placeholder of `text`, each value passed through `encode`. */
export function fillText(
  text: string,
  values: Record<string, string>,
  encode: (value: string) => string = (v) => v,
): string {
  return text.replace(PLACEHOLDER, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new TemplateError(name);
    return encode(value);
  });
}

/** True when `text` holds a placeholder. */
export function hasPlaceholder(text: string): boolean {
  return new RegExp(PLACEHOLDER.source).test(text);
}

/**
 * Fills a JSON template: every string is filled; the string `"{{subjects}}"` becomes the batch's
 * subjects (`[{ scheme, id }]`) and other placeholders take the first enquiry's values.
 */
export function fillJson(template: unknown, batch: readonly Enquiry[]): unknown {
  const values = templateValues(batch[0]!);
  const fill = (node: unknown): unknown => {
    if (node === SUBJECTS_PLACEHOLDER) {
      return batch.map((e) => ({ scheme: e.subject.scheme, id: e.subject.id }));
    }
    if (typeof node === 'string') return fillText(node, values);
    if (Array.isArray(node)) return node.map(fill);
    if (typeof node === 'object' && node !== null) {
      return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, fill(v)]));
    }
    return node;
  };
  return fill(template);
}

/** True when a body template carries the batch (`"{{subjects}}"` somewhere in it). */
export function isBatchTemplate(template: unknown): boolean {
  if (template === SUBJECTS_PLACEHOLDER) return true;
  if (Array.isArray(template)) return template.some(isBatchTemplate);
  if (typeof template === 'object' && template !== null) {
    return Object.values(template).some(isBatchTemplate);
  }
  return false;
}
