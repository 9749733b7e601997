import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresStore } from '../../reference-server/store/postgres/store.js';
import type { Resource } from '../../reference-server/store/types.js';
import { groupModel, userModel } from '../../scim/schema/index.js';
import { dropDatabase, freshDatabase, postgresSkip } from '../support/postgres.js';
import { group, recordingTouch, user } from '../reference-server/store/contract.js';

/**
 * Issue 19's lock order: a user's DELETE and a write of a group holding it, at once, as the
 * reference server's services make them (each a withLock work reading, then writing). Before the
 * order was fixed, the delete held the user and waited for the group while the group's write held
 * the group and waited for the user (touching its `groups`): PostgreSQL broke each such deadlock
 * after deadlock_timeout (1 s) and the store ran the loser again (40P01).
 */

const ROUNDS = 24;
const version = (resource: Resource | undefined) => (resource?.meta as Resource | undefined)?.version as string | undefined;
const memberValues = (resource: Resource | undefined) => ((resource?.members as { value: string }[] | undefined) ?? []).map((m) => m.value);

/** The group writes raced against the delete of `u`: each touches `u` but the last, which changes only other members. */
const WRITES: { name: string; change(g: Resource, round: number): Resource }[] = [
  { name: 'remove the deleted user', change: (g, r) => ({ ...g, members: (g.members as { value: string }[]).filter((m) => m.value !== `u${r}`) }) },
  { name: 'rename (every member touched) and add another', change: (g, r) => ({ ...g, displayName: `Renamed ${r}`, members: [...(g.members as object[]), { value: `w${r}` }] }) },
  { name: 'remove one other member and add another', change: (g, r) => ({ ...g, members: [...(g.members as { value: string }[]).filter((m) => m.value !== `v${r}`), { value: `w${r}` }] }) },
];

describe.skipIf(postgresSkip)('PostgresStore lock order: a user delete against a write of its group', () => {
  let url: string;
  let store: PostgresStore;
  const retries: string[] = [];

  beforeAll(async () => {
    url = await freshDatabase('lock_order');
    store = new PostgresStore({ url, models: { User: userModel, Group: groupModel }, touch: recordingTouch().touch, poolSize: 16, onRetry: (code) => retries.push(code) });
    await store.open();
  });

  afterAll(async () => {
    await store?.close();
    if (url) await dropDatabase(url);
  });

  it(`${ROUNDS} concurrent rounds: every request ends as it should, and PostgreSQL never found a deadlock`, async () => {
    for (let r = 0; r < ROUNDS; r++) {
      for (const id of [`u${r}`, `v${r}`, `w${r}`]) await store.create('User', user(id, `${id}@example.com`));
      await store.create('Group', group(`g${r}`, `Group ${r}`, [`u${r}`, `v${r}`]));
    }

    const outcomes = await Promise.allSettled(
      Array.from({ length: ROUNDS }, (_, r) => {
        const write = WRITES[r % WRITES.length]!;
        // As ResourceService.delete and .patch do: read under the lock, then write with the version read.
        const deleting = store.withLock('User', `u${r}`, async (tx) => tx.delete('User', `u${r}`, version(await tx.get('User', `u${r}`))));
        const writing = store.withLock('Group', `g${r}`, async (tx) => {
          const current = (await tx.get('Group', `g${r}`))!;
          return tx.replace('Group', `g${r}`, write.change(current, r), version(current));
        });
        return Promise.all([deleting, writing]);
      }),
    );

    expect(outcomes.filter((o) => o.status === 'rejected')).toEqual([]);
    for (let r = 0; r < ROUNDS; r++) {
      const expected = { 0: [`v${r}`], 1: [`v${r}`, `w${r}`], 2: [`w${r}`] }[r % WRITES.length];
      expect(await store.get('User', `u${r}`)).toBeUndefined();
      expect(memberValues(await store.get('Group', `g${r}`))).toEqual(expected);
      expect(await store.groupsWithMember(`u${r}`)).toEqual([]);
    }
    expect(retries.filter((code) => code === '40P01')).toEqual([]);
  });
});
