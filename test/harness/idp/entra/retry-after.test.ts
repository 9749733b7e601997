import { describe, expect, it } from 'vitest';
import { parseHttpDate, retryAfterSeconds } from '../../../../harness/idp/entra/retry-after.js';

/** Reading Retry-After (RFC 9110 §10.2.3, §5.6.7) for `throttling: retry-after` (Entra ref §5.10). */

const NOW = Date.parse('2026-01-05T09:00:00Z');
const SENT = 'Mon, 05 Jan 2026 09:00:00 GMT';

describe('parseHttpDate', () => {
  it('takes the three forms of RFC 9110 §5.6.7, the obsolete two included', () => {
    const at = Date.parse('1994-11-06T08:49:37Z');
    expect(parseHttpDate('Sun, 06 Nov 1994 08:49:37 GMT', NOW)).toBe(at);
    expect(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT', NOW)).toBe(at);
    expect(parseHttpDate('Sun Nov  6 08:49:37 1994', NOW)).toBe(at);
  });

  it('places a two-digit year more than 50 years ahead in the past century', () => {
    expect(parseHttpDate('Tuesday, 05-Jan-27 09:00:00 GMT', NOW)).toBe(Date.parse('2027-01-05T09:00:00Z'));
    expect(parseHttpDate('Thursday, 05-Jan-99 09:00:00 GMT', NOW)).toBe(Date.parse('1999-01-05T09:00:00Z'));
  });

  it('refuses what is no HTTP-date: other formats, a lower-case month, impossible days and times', () => {
    for (const value of ['2026-01-05T09:00:00Z', 'Mon, 05 jan 2026 09:00:00 GMT', 'Mon, 05 Jan 2026 09:00:00 UTC', 'Mon, 30 Feb 2026 09:00:00 GMT', 'Mon, 05 Jan 2026 25:00:00 GMT', 'soon', '']) {
      expect(parseHttpDate(value, NOW), value).toBeUndefined();
    }
  });
});

describe('retryAfterSeconds', () => {
  it('delay-seconds as given, however large: bounding it is the transport\'s job', () => {
    expect(retryAfterSeconds({ 'retry-after': '7' }, NOW)).toBe(7);
    expect(retryAfterSeconds({ 'retry-after': ' 0 ' }, NOW)).toBe(0);
    expect(retryAfterSeconds({ 'retry-after': '999999999' }, NOW)).toBe(999_999_999);
  });

  it('an HTTP-date counted from the answer\'s own Date, not from the virtual clock; a past date is 0', () => {
    expect(retryAfterSeconds({ 'retry-after': 'Mon, 05 Jan 2026 09:02:00 GMT', date: SENT }, NOW)).toBe(120);
    // The target's clock years away from the virtual one changes nothing.
    expect(retryAfterSeconds({ 'retry-after': 'Fri, 01 Mar 2030 12:00:30 GMT', date: 'Fri, 01 Mar 2030 12:00:00 GMT' }, NOW)).toBe(30);
    expect(retryAfterSeconds({ 'retry-after': 'Mon, 05 Jan 2026 08:00:00 GMT', date: SENT }, NOW)).toBe(0);
  });

  it('nothing to wait for: no header, a date without Date, a bad Date, and values that are neither form', () => {
    expect(retryAfterSeconds({}, NOW)).toBeUndefined();
    expect(retryAfterSeconds({ 'retry-after': 'Mon, 05 Jan 2026 09:02:00 GMT' }, NOW)).toBeUndefined();
    expect(retryAfterSeconds({ 'retry-after': 'Mon, 05 Jan 2026 09:02:00 GMT', date: 'yesterday' }, NOW)).toBeUndefined();
    for (const value of ['soon', '-5', '1.5', '30s', '1e3', '', 'x'.repeat(10_000)]) {
      expect(retryAfterSeconds({ 'retry-after': value, date: SENT }, NOW), value).toBeUndefined();
    }
  });
});
