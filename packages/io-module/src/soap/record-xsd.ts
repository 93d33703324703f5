// Maps a dataset's record schema (JSON Schema) to the XML Schema of its record element.

import type { Dataset } from '../dataset/define-dataset.js';

/** One child of the record element: its name and XSD built-in type. */
export interface RecordElement {
  name: string;
  type: string;
}

// The declaration's field-name pattern: every field a purpose may see is an XML NCName.
const XML_FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/**
 * The record element's children, in the record schema's property order: `string` is
 * `xsd:string`, `number` `xsd:double`, `integer` `xsd:integer`, `boolean` `xsd:boolean`; any
 * other schema (objects, arrays, unions) is `xsd:string` holding the value as JSON text.
 * Properties whose names are not field names (no purpose can release them) are left out.
 */
export function recordElements(dataset: Dataset): RecordElement[] {
  const properties = dataset.declaration.recordSchema.properties;
  return Object.entries(properties)
    .filter(([name]) => XML_FIELD_NAME.test(name))
    .map(([name, schema]) => ({ name, type: xsdTypeOf(schema) }));
}

function xsdTypeOf(schema: unknown): string {
  const type = (schema as { type?: unknown } | null)?.type;
  const types = Array.isArray(type) ? type.filter((t) => t !== 'null') : [type];
  if (types.length !== 1) return 'xsd:string';
  switch (types[0]) {
    case 'number':
      return 'xsd:double';
    case 'integer':
      return 'xsd:integer';
    case 'boolean':
      return 'xsd:boolean';
    default:
      return 'xsd:string';
  }
}
