import { ManualClock } from '@interop-blocks/core';
import { describe, expect, it } from 'vitest';
import { defineCatalogue } from '../src/catalogue/define-catalogue.js';
import { backoffDelay } from '../src/engine/backoff.js';
import { CircuitBreaker } from '../src/engine/circuit-breaker.js';
import { readMembers, selectMembers } from '../src/engine/members.js';
import { normaliseAnswer } from '../src/engine/normalise-answer.js';
import { ageOn, periodFor } from '../src/engine/periods.js';
import { RateLimiter } from '../src/engine/rate-limiter.js';
import { HOUSEHOLD, householdAnswer, householdCatalogue } from './support/tray-world.js';

describe('periods and ages', () => {
  it('compute periods from the application date', () => {
    expect(periodFor('previous-calendar-year', '2026-03-02')).toEqual({
      from: '2025-01-01',
      to: '2025-12-31',
    });
    expect(periodFor('last-3-months', '2026-03-02')).toEqual({
      from: '2025-12-01',
      to: '2026-02-28',
    });
    expect(periodFor('last-12-months', '2024-01-31')).toEqual({
      from: '2023-01-01',
      to: '2023-12-31',
    });
    expect(periodFor(undefined, '2026-03-02')).toBeUndefined();
  });

  it('count whole years, the birthday itself included', () => {
    expect(ageOn('2011-03-02', '2026-03-02')).toBe(15);
    expect(ageOn('2011-03-03', '2026-03-02')).toBe(14);
    expect(ageOn('2008-02-29', '2026-02-28')).toBe(17);
  });
});

describe('members', () => {
  const members = readMembers([householdAnswer(), { members: [{ id: 'no-scheme' }] }], {
    pointer: '/members',
  });

  it('reads subjects, relations and birth dates, leaving out entries without a subject', () => {
    expect(members).toHaveLength(4);
    expect(members[2]).toEqual({
      subject: { scheme: 'emso', id: HOUSEHOLD.teen },
      relation: 'child',
      birthDate: '2012-03-03',
    });
  });

  it('filter by relation and by age, taking a birth date from an EMSO when none is listed', () => {
    const ids = (selector: Parameters<typeof selectMembers>[1]) =>
      selectMembers(members, selector, '2026-03-02').map((m) => m.subject.id);
    expect(ids({ from: 'household', relations: ['child'] })).toEqual([
      HOUSEHOLD.teen,
      HOUSEHOLD.small,
    ]);
    expect(ids({ from: 'household', maxAge: 13 })).toEqual([HOUSEHOLD.teen, HOUSEHOLD.small]);
    expect(ids({ from: 'household', minAge: 14 })).toEqual([HOUSEHOLD.applicant, HOUSEHOLD.spouse]);
  });
});

describe('normalisation', () => {
  const income = defineCatalogue(householdCatalogue('http://127.0.0.1:1')).source('furs.income')!;

  it('maps records by pointers and validates each against the canonical schema', () => {
    expect(normaliseAnswer(income, { items: [{ amount: 3, year: 2025, name: 'x' }] })).toEqual({
      ok: true,
      records: [{ income: 3, year: 2025 }],
    });
    expect(normaliseAnswer(income, { items: { amount: 4 } })).toEqual({
      ok: true,
      records: [{ income: 4 }],
    });
  });

  it('refuses an answer without records or with a record that does not fit, naming no value', () => {
    expect(normaliseAnswer(income, { rows: [] })).toMatchObject({ ok: false });
    const bad = normaliseAnswer(income, { items: [{ amount: 'secret-value' }] });
    expect(bad.ok).toBe(false);
    expect(JSON.stringify(bad)).not.toContain('secret-value');
  });
});

describe('policies', () => {
  it('back off exponentially with full jitter, capped', () => {
    const limits = { backoffBaseMs: 100, backoffMaxMs: 1000 };
    expect(backoffDelay(1, limits, () => 1)).toBe(100);
    expect(backoffDelay(3, limits, () => 1)).toBe(400);
    expect(backoffDelay(10, limits, () => 1)).toBe(1000);
    expect(backoffDelay(3, limits, () => 0.5)).toBe(200);
  });

  it('open a breaker after consecutive failures, probe once when half-open, close on success', () => {
    const clock = new ManualClock(0);
    const breaker = new CircuitBreaker({ failures: 2, halfOpenAfterMs: 1000, clock });
    breaker.failure();
    breaker.success();
    breaker.failure();
    expect(breaker.state).toBe('closed');
    breaker.failure();
    expect(breaker.state).toBe('open');
    expect(breaker.tryAcquire()).toBe(false);
    clock.advance(1000);
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.tryAcquire()).toBe(false);
    breaker.failure();
    expect(breaker.state).toBe('open');
    clock.advance(1000);
    expect(breaker.tryAcquire()).toBe(true);
    breaker.success();
    expect(breaker.state).toBe('closed');
  });

  it('space requests out to the rate', () => {
    const clock = new ManualClock(0);
    const rate = new RateLimiter(2, clock);
    expect([rate.take(), rate.take()]).toEqual([0, 0]);
    expect(rate.take()).toBe(500);
    clock.advance(500);
    expect(rate.take()).toBe(0);
    expect(new RateLimiter(undefined, clock).take()).toBe(0);
  });
});
