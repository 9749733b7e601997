/* Virtual time for IdP simulators: an Entra "wait 40 minutes" or an Okta 429 back-off takes no wall time. */

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Reads `90s`, `40m`, `6h`, `30d`, `1h30m` (and a plain number of milliseconds); undefined when malformed. */
export function parseDuration(text: string | number): number | undefined {
  if (typeof text === 'number') return Number.isFinite(text) && text >= 0 ? text : undefined;
  const trimmed = text.trim();
  if (!/^(\d+(ms|s|m|h|d))+$/.test(trimmed)) return undefined;
  let total = 0;
  for (const [, amount, unit] of trimmed.matchAll(/(\d+)(ms|s|m|h|d)/g)) total += Number(amount) * UNITS[unit!]!;
  return total;
}

export const DEFAULT_EPOCH = '2026-01-05T09:00:00.000Z';

export class VirtualClock {
  private ms: number;

  constructor(start: string = DEFAULT_EPOCH) {
    const parsed = Date.parse(start);
    if (Number.isNaN(parsed)) throw new Error(`"${start}" is not an ISO date-time`);
    this.ms = parsed;
  }

  now(): Date {
    return new Date(this.ms);
  }

  iso(): string {
    return new Date(this.ms).toISOString();
  }

  advance(ms: number): void {
    if (!(ms >= 0)) throw new Error(`cannot move the clock back (${ms} ms)`);
    this.ms += ms;
  }
}
