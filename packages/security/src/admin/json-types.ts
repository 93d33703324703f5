// Checks the JSON types of a request body against a route schema before Fastify's ajv runs, so
// that a default ajv (which coerces `42` into `"42"` or `["42"]`) cannot accept a wrong type.

/** The part of JSON Schema the admin routes use. */
export interface JsonSchema {
  type: 'object' | 'array' | 'string' | 'integer' | 'boolean';
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean;
  items?: JsonSchema;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  enum?: string[];
  minimum?: number;
  maximum?: number;
}

/**
 * The JSON pointer of the first value whose JSON type differs from the schema, or of the first
 * property an object schema does not allow; undefined when the types fit.
 */
export function findTypeMismatch(
  schema: JsonSchema,
  value: unknown,
  path = '',
): string | undefined {
  if (!hasType(schema.type, value)) return path || '/';

  if (schema.type === 'object') {
    const record = value as Record<string, unknown>;
    for (const [key, item] of Object.entries(record)) {
      const inner = schema.properties?.[key];
      // A key comes from the request: name it only when it looks like a schema key.
      const at = `${path}/${/^[A-Za-z][A-Za-z0-9_]{0,39}$/.test(key) ? key : '*'}`;
      if (!inner) {
        if (schema.additionalProperties === false) return at;
        continue;
      }
      const found = findTypeMismatch(inner, item, at);
      if (found) return found;
    }
  }
  if (schema.type === 'array' && schema.items) {
    const items = value as unknown[];
    for (let i = 0; i < items.length; i++) {
      const found = findTypeMismatch(schema.items, items[i], `${path}/${i}`);
      if (found) return found;
    }
  }
  return undefined;
}

function hasType(type: JsonSchema['type'], value: unknown): boolean {
  switch (type) {
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'array':
      return Array.isArray(value);
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return Number.isSafeInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
  }
}
