import { describe, expect, it } from 'vitest';
import { parseDuration, VirtualClock } from '../../../harness/idp/clock.js';

describe('virtual time', () => {
  it.each([
    ['90s', 90_000],
    ['40m', 2_400_000],
    ['1h30m', 5_400_000],
    ['30d', 2_592_000_000],
    ['250ms', 250],
  ])('reads %s', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['', '40', '40 minutes', '-5m', '1.5h'])('refuses %j', (text) => expect(parseDuration(text)).toBeUndefined());

  it('advances without wall time and never goes back', () => {
    const clock = new VirtualClock('2026-01-01T00:00:00.000Z');
    clock.advance(parseDuration('30d')!);
    expect(clock.iso()).toBe('2026-01-31T00:00:00.000Z');
    expect(() => clock.advance(-1)).toThrow(/back/);
  });
});
