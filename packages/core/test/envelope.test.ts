import { describe, expect, it } from 'vitest';
import {
  AnswerEnvelopeSchema,
  InteropError,
  ManualClock,
  QueryEnvelopeSchema,
  createDefaultSchemes,
  isFinalStatus,
  newId,
  parseAnswer,
  parseQuery,
  parseQueryBatch,
  type QueryEnvelope,
} from '../src/index.js';

const clock = new ManualClock('2026-12-03T10:00:00Z');

function query(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const base: QueryEnvelope = {
    requestId: newId(clock),
    issuedAt: '2026-12-03T10:00:00Z',
    source: 'furs.income',
    subject: { scheme: 'emso', id: '0101006500006' },
    purpose: 'child-benefit',
    legalBasis: 'ZUPJS art. 5',
    case: 'CSD-LJ-2026-000123',
    organisation: 'VATSI-12345678',
    official: 'official-0042',
    period: { from: '2025-01-01', to: '2025-12-31' },
  };
  return { ...base, ...overrides };
}

function codeOf(fn: () => unknown): { code?: string; context?: unknown } {
  try {
    fn();
  } catch (err) {
    if (err instanceof InteropError) return { code: err.code, context: err.context };
    throw err;
  }
  return {};
}

describe('query envelope', () => {
  it('accepts a complete query', () => {
    const q = query();
    expect(parseQuery(q, { schemes: createDefaultSchemes() })).toBe(q);
  });

  it.each(['purpose', 'legalBasis', 'case', 'organisation', 'official'])(
    'refuses a query without %s',
    (field) => {
      const q = query();
      delete q[field];
      expect(codeOf(() => parseQuery(q))).toMatchObject({
        code: 'CORE_ENVELOPE_INVALID',
        context: { keyword: 'required', property: field },
      });
    },
  );

  it('refuses an empty legal basis, a non-v7 request id and an unknown property', () => {
    expect(codeOf(() => parseQuery(query({ legalBasis: '' }))).code).toBe('CORE_ENVELOPE_INVALID');
    const v4 = '3b241101-e2bb-4255-8caf-4136c566a962';
    expect(codeOf(() => parseQuery(query({ requestId: v4 }))).context).toMatchObject({
      path: '/requestId',
    });
    expect(codeOf(() => parseQuery(query({ extra: 1 }))).context).toMatchObject({
      keyword: 'additionalProperties',
      property: 'extra',
    });
  });

  it.each([
    ['a control character', 'case\u0007'],
    ['an unpaired surrogate', 'case\ud800'],
    ['a C1 control character', 'case\u0085'],
  ])('refuses text with %s', (_name, value) => {
    expect(codeOf(() => parseQuery(query({ case: value }))).context).toMatchObject({
      path: '/case',
    });
    expect(parseQuery(query({ case: 'Primer št. 42 — ✓ 😀' }))).toBeTruthy();
  });

  it('refuses an invalid identifier only when schemes are given', () => {
    const q = query({ subject: { scheme: 'emso', id: '0101006500007' } });
    expect(parseQuery(q)).toBe(q);
    expect(codeOf(() => parseQuery(q, { schemes: createDefaultSchemes() })).code).toBe(
      'CORE_IDENTIFIER_CHECK_DIGIT',
    );
  });

  it('does not echo values of the input in its errors', () => {
    const q = query({ case: 'x'.repeat(101) });
    const err = codeOf(() => parseQuery(q));
    expect(JSON.stringify(err)).not.toContain('xxxx');
    const odd = query({ '0101006500006': true });
    expect(JSON.stringify(codeOf(() => parseQuery(odd)))).not.toContain('0101006500006');
  });

  it('publishes plain JSON Schemas', () => {
    const json = JSON.parse(JSON.stringify(QueryEnvelopeSchema));
    expect(json.required).toEqual(
      expect.arrayContaining(['purpose', 'legalBasis', 'case', 'organisation', 'official']),
    );
    expect(JSON.parse(JSON.stringify(AnswerEnvelopeSchema)).anyOf).toHaveLength(6);
  });
});

describe('answer envelope', () => {
  const common = {
    requestId: newId(clock),
    answeredAt: '2026-12-03T10:00:01Z',
    source: 'furs.income',
    subject: { scheme: 'emso', id: '0101006500006' },
  };

  it('accepts each status with its own fields', () => {
    const answers = [
      { ...common, status: 'found', version: 'v2026-12-01', data: { income: 12000 } },
      { ...common, status: 'not_found' },
      { ...common, status: 'waiting', deadline: '2026-12-04T10:00:00Z' },
      { ...common, status: 'refused', reason: { code: 'IO_ACCESS_DENIED' } },
      {
        ...common,
        status: 'failed',
        reason: { code: 'TRAY_SOURCE_TIMEOUT', message: 'timed out' },
      },
      { ...common, status: 'expired', reason: { code: 'ASYNC_DEADLINE_PASSED' } },
    ];
    for (const a of answers) expect(parseAnswer(a).status).toBe(a.status);
  });

  it('refuses a failed answer without a reason and an unknown status', () => {
    expect(codeOf(() => parseAnswer({ ...common, status: 'failed' })).context).toMatchObject({
      keyword: 'required',
      property: 'reason',
    });
    expect(codeOf(() => parseAnswer({ ...common, status: 'lost' })).code).toBe(
      'CORE_ENVELOPE_INVALID',
    );
    expect(codeOf(() => parseAnswer(null)).code).toBe('CORE_ENVELOPE_INVALID');
  });

  it('treats every status but waiting as final', () => {
    expect(isFinalStatus('waiting')).toBe(false);
    expect(isFinalStatus('not_found')).toBe(true);
    expect(isFinalStatus('expired')).toBe(true);
  });
});

describe('batch query', () => {
  function batch(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    const { subject: _subject, ...rest } = query();
    return {
      ...rest,
      subjects: [
        { scheme: 'emso', id: '0101006500006' },
        { scheme: 'tax', id: '50223054' },
      ],
      ...overrides,
    };
  }

  it('accepts many subjects for one purpose', () => {
    expect(parseQueryBatch(batch(), { schemes: createDefaultSchemes() }).subjects).toHaveLength(2);
  });

  it('refuses an empty batch, and more subjects than allowed', () => {
    expect(codeOf(() => parseQueryBatch(batch({ subjects: [] }))).context).toMatchObject({
      path: '/subjects',
      keyword: 'minItems',
    });
    expect(codeOf(() => parseQueryBatch(batch(), { maxSubjects: 1 })).context).toMatchObject({
      keyword: 'maxItems',
      limit: 1,
    });
  });

  it('names the position of the first invalid subject', () => {
    const bad = batch({
      subjects: [
        { scheme: 'emso', id: '0101006500006' },
        { scheme: 'emso', id: '0101006500007' },
      ],
    });
    expect(codeOf(() => parseQueryBatch(bad, { schemes: createDefaultSchemes() }))).toMatchObject({
      code: 'CORE_IDENTIFIER_CHECK_DIGIT',
      context: { index: 1 },
    });
  });
});
