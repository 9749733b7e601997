/**
 * The times a fault set names: ISO 8601 instants, and offsets such as `+40m` from a moment the
 * server's clock gives (when a rule is installed, when a request arrives).
 */

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

const OFFSET = /^\+(\d{1,9})(ms|s|m|h|d)$/;

/** A date and a time with a zone, as ISO 8601 writes it: 2026-01-05T09:00:00Z, 2026-01-05T10:00:00.5+01:00. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** What a time is, to tell the user when it is neither. */
export const TIME_FORMS = 'an ISO 8601 instant with a zone (2026-01-05T09:00:00Z) or an offset such as +30s, +40m, +2h, +1d (units ms, s, m, h, d)';

/** A time as written: milliseconds after the moment it is counted from, or an instant. */
export type TimeSpec = { offsetMs: number } | { at: number };

/** The time `text` names, or undefined when it is neither form. */
export function parseTime(text: string): TimeSpec | undefined {
  const offset = OFFSET.exec(text);
  if (offset) return { offsetMs: Number(offset[1]) * UNIT_MS[offset[2]!]! };
  if (!INSTANT.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : { at };
}

/** The instant in epoch milliseconds, an offset counted from `origin`. */
export function resolveTime(spec: TimeSpec, origin: number): number {
  return 'at' in spec ? spec.at : origin + spec.offsetMs;
}

/** RFC 9110 §5.6.7's IMF-fixdate, as Retry-After carries it: `Mon, 05 Jan 2026 09:00:30 GMT` (whole seconds). */
export function httpDate(ms: number): string {
  return new Date(ms).toUTCString();
}
