// Parses a store URL: `sqlite:<path>`, `sqlite::memory:` or `postgres://...[?schema=name]`.

import { CoreError } from '../errors/core-error.js';

/** The storage backends. */
export type Backend = 'sqlite' | 'postgres';

/** What a store URL says, parsed. */
export type StoreLocation =
  | { backend: 'sqlite'; path: string | ':memory:' }
  | { backend: 'postgres'; connectionString: string; schema: string | undefined };

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Parses a store URL.
 *
 * @throws CoreError `CORE_STORE_URL_INVALID` (the URL is never echoed: it may hold a password).
 */
export function parseStoreUrl(url: string): StoreLocation {
  if (typeof url !== 'string' || url.length === 0) throw invalid('A store URL is required.');

  if (url.startsWith('sqlite:')) {
    const rest = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (rest === ':memory:') return { backend: 'sqlite', path: ':memory:' };
    if (rest.length === 0) throw invalid('A sqlite: URL names a file path or :memory:.');
    return { backend: 'sqlite', path: rest };
  }

  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch (cause) {
      throw invalid('The PostgreSQL URL cannot be parsed.', cause);
    }
    const schema = parsed.searchParams.get('schema') ?? undefined;
    if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
      throw invalid('The schema parameter must be a lower-case SQL identifier.');
    }
    parsed.searchParams.delete('schema');
    return { backend: 'postgres', connectionString: parsed.toString(), schema };
  }

  throw invalid('Store URLs start with sqlite: or postgres://.');
}

function invalid(message: string, cause?: unknown): CoreError {
  return new CoreError('CORE_STORE_URL_INVALID', message, { cause });
}
