import { afterEach, describe, expect, it } from 'vitest';
import { FakeTarget } from './fake-target.js';
import { answerProbes, EntraRig, scimError, type Answer } from './rig.js';

/**
 * What a target answers cannot hold Entra without end: a Retry-After is waited out only up to
 * `retryAfterMaxSeconds` (Entra ref §5.10; the bound synthesised), and a DELETE answered 404 is
 * retried on the escrow back-off or, with `deleteNotFound: gone`, not at all (§9, §5.5).
 */

let rig: EntraRig;
afterEach(async () => rig?.close());

const START = Date.parse('2026-01-05T09:00:00.000Z');
const MINUTE = 60_000;
const directory = { users: { adele: { userPrincipalName: 'adele@contoso.com' } }, assignments: ['adele'] };

function setUp(settings: Record<string, unknown>, faults: (r: EntraRig) => void): EntraRig {
  rig = new EntraRig({ settings: { provisionGroups: false, ...settings }, directory });
  faults(rig);
  answerProbes(rig);
  new FakeTarget().install(rig);
  return rig;
}

const throttleCreate = (headers: Record<string, string>) => (r: EntraRig) => r.once('POST', '/Users', { status: 429, body: '', headers } satisfies Answer);
const posts = () => rig.transcript.exchanges.filter((e) => e.request.method === 'POST').map((e) => e.virtualTime);
const deletes = () => rig.transcript.exchanges.filter((e) => e.request.method === 'DELETE');
const lastTime = () => Math.max(...rig.transcript.exchanges.map((e) => Date.parse(e.virtualTime!)));

describe('Retry-After under throttling: retry-after (Entra ref §5.10)', () => {
  it('a Retry-After of 999999999 s is not waited out: one send, the object fails at once, and the clock stays in the cycle', async () => {
    setUp({ throttling: 'retry-after' }, throttleCreate({ 'retry-after': '999999999' }));
    await rig.perform('cycle', 'initial');
    expect(posts()).toEqual(['2026-01-05T09:00:00.200Z']);
    expect(rig.logs()[0]).toMatchObject({ user: 'adele', action: 'Create', status: 'Failure', errorCode: 'TooManyRequests', sends: 1, synthesised: true, activityDateTime: '2026-01-05T09:00:00.300Z' });
    expect(lastTime() - START).toBeLessThan(MINUTE);
    rig.clear();
    await rig.perform('advance', '40m');
    expect(rig.logs()[0]).toMatchObject({ user: 'adele', action: 'Create', status: 'Success', activityDateTime: '2026-01-05T09:40:00.300Z' });
  });

  it('retryAfterMaxSeconds is the longest wait: a Retry-After equal to it is waited out, one second more is not', async () => {
    setUp({ throttling: 'retry-after', retryAfterMaxSeconds: 30 }, throttleCreate({ 'retry-after': '30' }));
    await rig.perform('cycle', 'initial');
    expect(posts()).toEqual(['2026-01-05T09:00:00.200Z', '2026-01-05T09:00:30.300Z']);
    expect(rig.logs()[0]).toMatchObject({ status: 'Success' });
    await rig.close();
    setUp({ throttling: 'retry-after', retryAfterMaxSeconds: 29 }, throttleCreate({ 'retry-after': '30' }));
    await rig.perform('cycle', 'initial');
    expect(posts()).toHaveLength(1);
    expect(rig.logs()[0]).toMatchObject({ status: 'Failure', errorCode: 'TooManyRequests', sends: 1, synthesised: true });
  });

  it('the bound holds at every send: a target asking 200 s, then years, gets two sends', async () => {
    setUp({ throttling: 'retry-after' }, (r) => {
      throttleCreate({ 'retry-after': '200' })(r);
      throttleCreate({ 'retry-after': '999999999' })(r);
    });
    await rig.perform('cycle', 'initial');
    expect(posts()).toEqual(['2026-01-05T09:00:00.200Z', '2026-01-05T09:03:20.300Z']);
    expect(rig.logs()[0]).toMatchObject({ status: 'Failure', sends: 2, synthesised: true });
    expect(lastTime() - START).toBeLessThan(5 * MINUTE);
  });

  it('an HTTP-date is counted from the answer\'s Date, whatever the target\'s clock says the year is', async () => {
    setUp({ throttling: 'retry-after' }, throttleCreate({ date: 'Fri, 01 Mar 2030 12:00:00 GMT', 'retry-after': 'Fri, 01 Mar 2030 12:00:45 GMT' }));
    await rig.perform('cycle', 'initial');
    expect(posts()).toEqual(['2026-01-05T09:00:00.200Z', '2026-01-05T09:00:45.300Z']);
    expect(rig.logs()[0]).toMatchObject({ status: 'Success' });
  });

  it('a Retry-After that cannot be read (no Date for its date, not a number) is no Retry-After: one send, the object fails, nothing throws', async () => {
    const unreadable: Record<string, string>[] = [{ 'retry-after': 'Mon, 05 Jan 2026 09:02:00 GMT' }, { 'retry-after': 'soon' }, { 'retry-after': '-1' }, { 'retry-after': 'Mon, 05 Jan 2026 09:02:00 GMT', date: 'now' }];
    for (const headers of unreadable) {
      setUp({ throttling: 'retry-after' }, throttleCreate(headers));
      await rig.perform('cycle', 'initial');
      expect(posts(), JSON.stringify(headers)).toHaveLength(1);
      expect(rig.logs()[0]).toMatchObject({ status: 'Failure', errorCode: 'TooManyRequests', sends: 1, synthesised: true });
      await rig.close();
    }
  });
});

describe('a DELETE answered 404 (Entra ref §9, §5.5)', () => {
  const notFound = (r: EntraRig) => r.on('DELETE', /^\/Users\//, scimError(404, 'Resource not found'));

  async function hardDeleted(settings: Record<string, unknown>): Promise<void> {
    setUp(settings, notFound);
    await rig.perform('cycle', 'initial');
    await rig.perform('hard-delete', 'adele');
    rig.clear();
  }

  it('by default InvalidAnchor, retried on the escrow back-off only: a week of cycles sends 12 DELETEs, and the job stays Active', async () => {
    await hardDeleted({});
    await rig.perform('advance', '7d');
    // The cycle after the hard delete is the 1st after the initial one; the retries follow escrowRetryCycles, 36 repeating.
    const due: number[] = [];
    for (let cycle = 1, gaps = [1, 2, 4, 8, 16]; cycle * 40 <= 7 * 24 * 60; cycle += gaps.shift() ?? 36) due.push(cycle);
    expect(deletes().map((e) => (Date.parse(e.virtualTime!) - START) / (40 * MINUTE))).toEqual(due.map((c) => c + 0.1 / 2400));
    expect(due).toHaveLength(12);
    expect(rig.logs()).toHaveLength(12);
    for (const record of rig.logs()) expect(record).toMatchObject({ user: 'adele', action: 'Delete', status: 'Failure', errorCode: 'InvalidAnchor' });
    expect(rig.statuses().map((s) => s.code)).not.toContain('Quarantine');
  });

  it('deleteNotFound: gone takes it as deleted: one DELETE, a Success marked synthesised, and no DELETE after it', async () => {
    await hardDeleted({ deleteNotFound: 'gone' });
    await rig.perform('advance', '40m');
    expect(deletes()).toHaveLength(1);
    expect(rig.logs()).toEqual([expect.objectContaining({ user: 'adele', action: 'Delete', status: 'Success', synthesised: true })]);
    rig.clear();
    await rig.perform('advance', '1d');
    expect(deletes()).toHaveLength(1);
    expect(rig.logs()).toEqual([]);
  });

  it('deleteNotFound: gone changes only the 404: a 500 to the DELETE still fails and is escrowed', async () => {
    setUp({ deleteNotFound: 'gone' }, (r) => r.once('DELETE', /^\/Users\//, scimError(500, 'down')));
    await rig.perform('cycle', 'initial');
    await rig.perform('hard-delete', 'adele');
    rig.clear();
    await rig.perform('advance', '1h20m');
    expect(rig.logs().map((r) => [r.action, r.status, r.errorCode])).toEqual([
      ['Delete', 'Failure', 'InternalServerError'],
      ['Delete', 'Success', undefined],
    ]);
    expect(rig.logs()[1]).not.toHaveProperty('synthesised');
  });
});
