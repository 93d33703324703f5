import { describe, expect, it } from 'vitest';
import { organisationOf } from '../src/index.js';

describe('organisationOf', () => {
  it('is the organisation itself, or the one a person or application acts for', () => {
    expect(organisationOf({ kind: 'organisation', id: 'centre', name: 'Centre' })).toBe('centre');
    const clerk = { kind: 'person', id: 'u-1', name: 'Clerk', organisationId: 'bank' } as const;
    expect(organisationOf(clerk)).toBe('bank');
    expect(organisationOf({ kind: 'application', id: 'app', name: 'App' })).toBe('app');
  });
});
