/*
 * Reading a 429's Retry-After for `throttling: retry-after` (UNVERIFIED, Entra ref §5.10): the
 * reference says nothing of its forms, so the simulator takes both of RFC 9110 §10.2.3.
 */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
const LONG_DAY = '(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)';
const MONTH = `(${MONTHS.join('|')})`;
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})';

/** IMF-fixdate, then the obsolete rfc850-date and asctime-date that recipients must also take (RFC 9110 §5.6.7). */
const IMF_FIXDATE = new RegExp(`^${DAY}, (\\d{2}) ${MONTH} (\\d{4}) ${TIME} GMT$`);
const RFC850_DATE = new RegExp(`^${LONG_DAY}, (\\d{2})-${MONTH}-(\\d{2}) ${TIME} GMT$`);
const ASCTIME_DATE = new RegExp(`^${DAY} ${MONTH} ( \\d|\\d{2}) ${TIME} (\\d{4})$`);

/** Epoch ms of a valid calendar time, else undefined (Feb 30 is no date). */
function utc(year: number, month: string, day: number, hour: number, minute: number, second: number): number | undefined {
  const m = MONTHS.indexOf(month);
  const ms = Date.UTC(year, m, day, hour, minute, second);
  const date = new Date(ms);
  const valid = date.getUTCFullYear() === year && date.getUTCMonth() === m && date.getUTCDate() === day && hour < 24 && minute < 60 && second <= 60;
  return valid ? ms : undefined;
}

/**
 * An HTTP-date in epoch ms (RFC 9110 §5.6.7); undefined for anything else. A two-digit rfc850 year
 * more than 50 years ahead of `now` is taken as the past century's, as the RFC says.
 */
export function parseHttpDate(value: string, now: number): number | undefined {
  let match = IMF_FIXDATE.exec(value);
  if (match) return utc(Number(match[3]), match[2]!, Number(match[1]), Number(match[4]), Number(match[5]), Number(match[6]));
  match = ASCTIME_DATE.exec(value);
  if (match) return utc(Number(match[6]), match[1]!, Number(match[2]!.trim()), Number(match[3]), Number(match[4]), Number(match[5]));
  match = RFC850_DATE.exec(value);
  if (!match) return undefined;
  const thisYear = new Date(now).getUTCFullYear();
  let year = thisYear - (thisYear % 100) + Number(match[3]);
  if (year > thisYear + 50) year -= 100;
  return utc(year, match[2]!, Number(match[1]), Number(match[4]), Number(match[5]), Number(match[6]));
}

/**
 * The seconds a 429's Retry-After asks for (RFC 9110 §10.2.3): delay-seconds as given, or an
 * HTTP-date less the answer's own Date (RFC 9110 §6.6.1), since both are the target's clock and
 * the simulator's is virtual; a date already past is 0 (synthesised reading). Undefined when there
 * is no Retry-After, or it is neither form, or a date comes without a Date to count it from: then
 * there is nothing to wait for. `now` (the virtual clock) only places a two-digit year.
 */
export function retryAfterSeconds(headers: Record<string, string>, now: number): number | undefined {
  const value = headers['retry-after']?.trim();
  if (value === undefined) return undefined;
  if (/^\d+$/.test(value)) return Number(value);
  const sent = headers.date === undefined ? undefined : parseHttpDate(headers.date.trim(), now);
  if (sent === undefined) return undefined;
  const at = parseHttpDate(value, sent);
  return at === undefined ? undefined : Math.max(0, (at - sent) / 1000);
}
