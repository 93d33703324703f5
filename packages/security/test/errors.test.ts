import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InteropError } from '@interop-blocks/core';
import { SECURITY_ERROR_CODES, SecurityError } from '../src/index.js';

describe('security errors', () => {
  it('are interop errors with stable codes', () => {
    const codes = Object.keys(SECURITY_ERROR_CODES) as (keyof typeof SECURITY_ERROR_CODES)[];
    for (const code of codes) {
      const err = new SecurityError(code, 'x');
      expect(err).toBeInstanceOf(InteropError);
      expect(err.code).toMatch(/^(PKI|XML|JWS|TLS|QC|TL|DEVPKI|RIGHTS|TRAIL)_[A-Z0-9_]+$/);
    }
  });

  it('are listed in the README tables exactly as exported', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const documented = [...readme.matchAll(/^\| `([A-Z][A-Z0-9_]+)` \|/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual(Object.keys(SECURITY_ERROR_CODES).sort());
  });
});
