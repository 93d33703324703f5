import { channel } from 'node:diagnostics_channel';
import { describe, expect, it } from 'vitest';
import {
  InteropError,
  ManualClock,
  channelName,
  diagnosticsChannelFor,
  isUuidV7,
  newId,
  uuidV7Time,
} from '../src/index.js';

describe('ids', () => {
  it('are UUIDv7 carrying the clock time, ordered by creation', () => {
    const clock = new ManualClock('2026-12-03T10:00:00Z');
    const a = newId(clock);
    clock.advance(5);
    const b = newId(clock);
    expect(isUuidV7(a)).toBe(true);
    expect(uuidV7Time(a)).toBe(Date.parse('2026-12-03T10:00:00Z'));
    expect(a < b).toBe(true);
    expect(new Set(Array.from({ length: 1000 }, () => newId())).size).toBe(1000);
  });
});

describe('manual clock', () => {
  it('moves only forward and only when told', () => {
    const clock = new ManualClock(1000);
    expect(clock.now()).toBe(1000);
    clock.advance(500);
    expect(clock.now()).toBe(1500);
    expect(() => clock.advance(-1)).toThrow(RangeError);
    clock.set('2026-01-01T00:00:00Z');
    expect(clock.now()).toBe(Date.parse('2026-01-01T00:00:00Z'));
  });
});

describe('diagnostics channels', () => {
  it('follow interop:<block>:<object>:<event>', () => {
    expect(channelName('tray', 'enquiry', 'end')).toBe('interop:tray:enquiry:end');
    expect(() => channelName('tray', 'Enquiry', 'end')).toThrow(InteropError);
    expect(() => channelName('tray', 'enquiry', 'end:x')).toThrow(/interop:<block>/);
  });

  it('deliver published events to subscribers', () => {
    const seen: unknown[] = [];
    const name = channelName('io', 'query', 'end');
    const onMessage = (message: unknown): void => void seen.push(message);
    channel(name).subscribe(onMessage);
    const ch = diagnosticsChannelFor('io', 'query', 'end');
    if (ch.hasSubscribers) ch.publish({ dataset: 'furs.income' });
    channel(name).unsubscribe(onMessage);
    expect(seen).toEqual([{ dataset: 'furs.income' }]);
  });
});
