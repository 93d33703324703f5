import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CORE_ERROR_CODES, CoreError, InteropError } from '../src/index.js';

describe('errors', () => {
  it('carry a code, context and cause and serialise without the stack', () => {
    const cause = new Error('low level');
    const err = new CoreError('CORE_STORE_UNREACHABLE', 'down', {
      context: { backend: 'pg' },
      cause,
    });
    expect(err).toBeInstanceOf(InteropError);
    expect(err).toBeInstanceOf(CoreError);
    expect(err.name).toBe('CoreError');
    expect(err.cause).toBe(cause);
    expect(err.toJSON()).toEqual({
      code: 'CORE_STORE_UNREACHABLE',
      message: 'down',
      context: { backend: 'pg' },
    });
  });

  it('are recognised across copies of the package by their brand', () => {
    const foreign = Object.create(Error.prototype) as Record<string | symbol, unknown>;
    Object.defineProperty(foreign, Symbol.for('interop-blocks.error'), { value: true });
    foreign.code = 'CORE_STORE_CLOSED';
    expect(foreign instanceof InteropError).toBe(true);
    expect(InteropError.is(foreign, 'CORE_STORE_CLOSED')).toBe(true);
    expect(InteropError.is(new Error('plain'))).toBe(false);
  });

  it('are listed in the README table exactly as exported', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const documented = [...readme.matchAll(/^\| `(CORE_[A-Z_]+)` \|/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual(Object.keys(CORE_ERROR_CODES).sort());
  });
});
