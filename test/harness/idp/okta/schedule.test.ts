import { afterEach, describe, expect, it } from 'vitest';
import { LIST_EMPTY, OktaRig } from './rig.js';

/** Scheduled full imports (Okta ref §9): Import Now's requests, at each interval that advance passes. */
describe('importSchedule', () => {
  let rig: OktaRig;
  afterEach(() => rig.close());

  it('hourly: one full import of users, then groups, at each hour passed, and the clock ends where advance said', async () => {
    rig = new OktaRig({ settings: { importSchedule: 'hourly' } });
    rig.on('GET', /^\/(Users|Groups)\?startIndex=1&count=100$/, LIST_EMPTY);
    await rig.perform('advance', '59m');
    expect(rig.lines()).toEqual([]);
    await rig.perform('advance', '1h31m');
    expect(rig.lines()).toEqual(['GET /Users?startIndex=1&count=100', 'GET /Groups?startIndex=1&count=100', 'GET /Users?startIndex=1&count=100', 'GET /Groups?startIndex=1&count=100']);
    expect(rig.outcomes.map((o) => [o.virtualTime, o.record.eventType])).toEqual([
      ['2026-01-05T10:00:00.000Z', 'application.provision.user.import'],
      ['2026-01-05T10:00:00.000Z', 'application.provision.group.import'],
      ['2026-01-05T11:00:00.000Z', 'application.provision.user.import'],
      ['2026-01-05T11:00:00.000Z', 'application.provision.group.import'],
    ]);
    expect(rig.simulator.now()).toBe('2026-01-05T11:30:00.000Z');
  });

  it('only the enabled imports run; never (the default) runs none', async () => {
    rig = new OktaRig({ settings: { importSchedule: 'daily', provisioningFeatures: { importGroups: false } } });
    rig.on('GET', '/Users?startIndex=1&count=100', LIST_EMPTY);
    await rig.perform('advance', '1d');
    expect(rig.lines()).toEqual(['GET /Users?startIndex=1&count=100']);
    await rig.close();
    rig = new OktaRig({});
    await rig.perform('advance', '30d');
    expect(rig.lines()).toEqual([]);
  });

  it('an import that waits past the next hour on a 429 does not run twice at once', async () => {
    rig = new OktaRig({ settings: { importSchedule: 'hourly', provisioningFeatures: { importGroups: false } } });
    rig.once('GET', '/Users?startIndex=1&count=100', { status: 429, headers: { 'retry-after': '3600', 'content-type': 'application/scim+json' } });
    rig.on('GET', '/Users?startIndex=1&count=100', LIST_EMPTY);
    await rig.perform('advance', '2h30m');
    expect(rig.lines()).toEqual(['GET /Users?startIndex=1&count=100', 'GET /Users?startIndex=1&count=100']);
    expect(rig.outcomes.map((o) => o.virtualTime)).toEqual(['2026-01-05T11:00:00.000Z']);
    expect(rig.simulator.now()).toBe('2026-01-05T11:30:00.000Z');
  });
});
