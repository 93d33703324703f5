// Form inputs generated from a room's answer schema (JSON Schema), and the data read from them.

import { escapeHtml } from './html.js';

type JsonSchema = Record<string, unknown>;

/** The properties of an object schema, in declaration order. */
function propertiesOf(schema: JsonSchema): [string, JsonSchema][] {
  const properties = schema.properties;
  if (typeof properties !== 'object' || properties === null) return [];
  return Object.entries(properties as Record<string, JsonSchema>);
}

function requiredOf(schema: JsonSchema): Set<string> {
  return new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
}

/**
 * The inputs of one answer form: one labelled input per property of the answer schema (text,
 * number, date, checkbox or select by type, format and enum; JSON text for nested values).
 * Field names are `data.<property>`; ids are prefixed with `idPrefix` to stay unique on the page.
 */
export function renderSchemaFields(schema: JsonSchema, idPrefix: string): string {
  const required = requiredOf(schema);
  return propertiesOf(schema)
    .map(([name, property]) => {
      const id = `${idPrefix}-${name}`;
      const title = typeof property.title === 'string' ? property.title : name;
      const hint = required.has(name) ? ' (required when found)' : '';
      const label = `<label for="${escapeHtml(id)}">${escapeHtml(title)}${hint}</label>`;
      return `${label}\n${input(id, `data.${name}`, property)}`;
    })
    .join('\n');
}

function input(id: string, name: string, property: JsonSchema): string {
  const attrs = `id="${escapeHtml(id)}" name="${escapeHtml(name)}"`;
  if (Array.isArray(property.enum)) {
    const options = ['', ...property.enum.map(String)]
      .map((v) => `<option value="${escapeHtml(v)}">${escapeHtml(v || '(choose)')}</option>`)
      .join('');
    return `<select ${attrs}>${options}</select>`;
  }
  switch (property.type) {
    case 'number':
      return `<input ${attrs} type="number" step="any" inputmode="decimal">`;
    case 'integer':
      return `<input ${attrs} type="number" step="1" inputmode="numeric">`;
    case 'boolean':
      return `<input ${attrs} type="checkbox" value="true">`;
    case 'string': {
      const type = property.format === 'date' ? 'date' : 'text';
      const pattern =
        typeof property.pattern === 'string'
          ? ` pattern="${escapeHtml(property.pattern.replace(/^\^|\$$/g, ''))}"`
          : '';
      return `<input ${attrs} type="${type}"${pattern}>`;
    }
    default:
      return `<textarea ${attrs} rows="3"></textarea>`;
  }
}

/**
 * Reads the data of a `found` answer from the submitted fields, typed by the schema. Empty fields
 * are left out (the schema's `required` then refuses them); text that is not a number stays text
 * so that the schema check reports it.
 */
export function readSchemaFields(
  schema: JsonSchema,
  form: URLSearchParams,
): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const [name, property] of propertiesOf(schema)) {
    const raw = form.get(`data.${name}`);
    if (property.type === 'boolean') {
      data[name] = raw === 'true';
      continue;
    }
    if (raw === null || raw.trim() === '') continue;
    data[name] = convert(raw.trim(), property);
  }
  return data;
}

function convert(raw: string, property: JsonSchema): unknown {
  if (property.type === 'number' || property.type === 'integer') {
    const value = Number(raw);
    return Number.isFinite(value) ? value : raw;
  }
  if (property.type === 'string' || Array.isArray(property.enum)) return raw;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}
