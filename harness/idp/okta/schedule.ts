import { DEFAULT_EPOCH } from '../clock.js';
import type { OktaContext } from './context.js';
import { importGroups, importUsers } from './imports.js';
import type { OktaSettings } from './settings.js';

/*
 * Scheduled full imports (Okta ref §9: "Import Now, or a scheduled full import (hourly / daily /
 * weekly)"): the same requests as Import Now, no filter (§9.1). When they run within the interval
 * and that users come before groups are not documented: they fall due one interval after the
 * scenario's start and every interval after, users first.
 */

const INTERVAL_MS: Record<Exclude<OktaSettings['importSchedule'], 'never'>, number> = { hourly: 3_600_000, daily: 86_400_000, weekly: 604_800_000 };

/** The first scheduled import after `time`; a run that took longer than the interval skips the times it overlapped. */
function nextDue(time: number, every: number): number {
  const start = Date.parse(DEFAULT_EPOCH);
  return start + (Math.floor((time - start) / every) + 1) * every;
}

/** Moves the clock by `ms`, running each scheduled import that falls due on the way at its own time. */
export async function advanceWithImports(ctx: OktaContext, ms: number): Promise<void> {
  const { clock, settings } = ctx;
  const end = clock.now().getTime() + ms;
  if (settings.importSchedule !== 'never') {
    const every = INTERVAL_MS[settings.importSchedule];
    for (let due = nextDue(clock.now().getTime(), every); due <= end; due = nextDue(clock.now().getTime(), every)) {
      clock.advance(due - clock.now().getTime());
      if (settings.provisioningFeatures.importUsers) await importUsers(ctx);
      if (settings.provisioningFeatures.importGroups) await importGroups(ctx);
    }
  }
  clock.advance(Math.max(0, end - clock.now().getTime()));
}
