// The one ajv configuration used across core: strict mode, formats, no data in messages.

import Ajv from 'ajv';
import addFormats from 'ajv-formats';

type AjvCtor = typeof Ajv.default;
type AddFormats = typeof addFormats.default;

/**
 * A strict ajv instance with the standard formats (date, date-time, uuid, uri, ...): the one ajv
 * configuration the blocks share, so that every schema is held to the same rules.
 *
 * @example
 * ```ts
 * const validate = createAjv().compile(QueryEnvelopeSchema);
 * ```
 */
export function createAjv(): InstanceType<AjvCtor> {
  // ajv and ajv-formats are CommonJS with a `default` export; unwrap for both module systems.
  const AjvClass = ((Ajv as unknown as { default?: AjvCtor }).default ?? Ajv) as AjvCtor;
  const withFormats = ((addFormats as unknown as { default?: AddFormats }).default ??
    addFormats) as AddFormats;

  const ajv = new AjvClass({ strict: true, allErrors: false, messages: true });
  withFormats(ajv);
  return ajv;
}
