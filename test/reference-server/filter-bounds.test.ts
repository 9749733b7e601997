import { describe, expect, it } from 'vitest';
import { FILTER_STEP_LIMIT } from '../../scim/filter/budget.js';
import { MAX_FILTER_CONDITIONS } from '../../scim/filter/parse.js';
import { expectScimError, GROUP, patchBody, SEARCH, testServer, USER, type Json, type TestServer } from './resource-helpers.js';

/**
 * One request cannot hold the server: a filter has at most MAX_FILTER_CONDITIONS conditions
 * (400 invalidFilter saying so), and what its evaluation may cost is bounded by FILTER_STEP_LIMIT
 * steps, beyond which it is refused with 400 tooMany (RFC 7644 §3.12: "more results than the
 * server is willing to calculate or process") instead of answering seconds or minutes later
 * (issue 20, finding 2). Each step is a condition tested on a value: the tests count them.
 */

const BULK = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';

/** `n` conditions that match nothing on the seeded users, or'ed. */
const noMatch = (n: number, attr = 'title') => Array.from({ length: n }, (_, i) => `${attr} co "zz${i}"`).join(' or ');

/** Users straight into the store: fast, and each has one title and one userName. */
async function seedUsers(s: TestServer, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    await s.store.create('User', { schemas: [USER], id: `u${i}`, userName: `user${i}@example.com`, title: `Title ${i}`, meta: { resourceType: 'User', version: 'W/"1"' } });
  }
}

describe(`a filter of more than ${MAX_FILTER_CONDITIONS} conditions`, () => {
  const s = testServer();

  it('is 400 invalidFilter naming the bound, on every endpoint that filters', async () => {
    const over = noMatch(MAX_FILTER_CONDITIONS + 1);
    const detail = new RegExp(`^The filter has more conditions than the ${MAX_FILTER_CONDITIONS} this server evaluates in one filter: condition ${MAX_FILTER_CONDITIONS + 1} is at position \\d+$`);
    for (const res of [
      await s.list('/Users', { filter: over }),
      await s.list('/Groups', { filter: noMatch(MAX_FILTER_CONDITIONS + 1, 'displayName') }),
      await s.post('/Users/.search', { schemas: [SEARCH], filter: over }),
      await s.post('/.search', { schemas: [SEARCH], filter: over }),
    ]) {
      expect(expectScimError(res, 400, 'invalidFilter').detail).toMatch(detail);
    }
  });

  it('is refused in a PATCH path too, with invalidPath', async () => {
    const ada = await s.createUser('ada', { emails: [{ value: 'ada@example.com' }] });
    const path = `emails[${noMatch(MAX_FILTER_CONDITIONS + 1, 'value')}]`;
    const body = expectScimError(await s.patch(`/Users/${ada.id}`, patchBody({ op: 'remove', path })), 400, 'invalidPath');
    expect(body.detail).toMatch(`more conditions than the ${MAX_FILTER_CONDITIONS}`);
  });

  it(`is answered with ${MAX_FILTER_CONDITIONS}, "[...]" conditions counted`, async () => {
    expect((await s.list('/Users', { filter: noMatch(MAX_FILTER_CONDITIONS) })).statusCode).toBe(200);
    const withValueFilter = `${noMatch(MAX_FILTER_CONDITIONS - 2)} or emails[type eq "work" and value co "x"]`;
    expect((await s.list('/Users', { filter: withValueFilter })).statusCode).toBe(200);
    expectScimError(await s.list('/Users', { filter: `${withValueFilter} or title pr` }), 400, 'invalidFilter');
  });
});

describe(`the work of one request, at most ${FILTER_STEP_LIMIT} steps`, () => {
  // Enough users that a filter of the most conditions, none matching, takes one step too many.
  const users = Math.floor(FILTER_STEP_LIMIT / MAX_FILTER_CONDITIONS) + 1;

  it(`refuses the largest filter on ${users} users with 400 tooMany saying the bound, and still answers cheaper ones`, async () => {
    // On memory in every mode: 20,001 users are 20,001 transactions on PostgreSQL (past the test's time); the budget is scim/'s, the same on either store.
    const s = testServer({ store: 'memory' });
    await seedUsers(s, users);
    const largest = noMatch(MAX_FILTER_CONDITIONS);
    for (const res of [await s.list('/Users', { filter: largest }), await s.post('/Users/.search', { schemas: [SEARCH], filter: largest }), await s.post('/.search', { schemas: [SEARCH], filter: largest })]) {
      const body = expectScimError(res, 400, 'tooMany');
      expect(body.detail).toMatch(`(${FILTER_STEP_LIMIT} steps: one a condition tested on a value`);
    }
    // One step fewer a user fits.
    expect((await s.list('/Users', { filter: noMatch(MAX_FILTER_CONDITIONS - 1), count: 0 })).json().totalResults).toBe(0);
    // An eq on an indexed attribute narrows the scan to one user.
    const narrowed = await s.list('/Users', { filter: `userName eq "user7@example.com" and (${noMatch(MAX_FILTER_CONDITIONS - 2)} or title pr)` });
    expect(narrowed.json().Resources.map((r: Json) => r.id)).toEqual(['u7']);
    // The next request has its own budget.
    expect((await s.list('/Users', { filter: 'title co "Title 1"', count: 1 })).json().totalResults).toBeGreaterThan(1);
  });

  it('bounds the value filters of PATCH paths, shared by the operations of one PATCH and of one Bulk', async () => {
    const s = testServer();
    // Each removal tests every email against the most conditions: 60 % of the budget.
    const count = Math.ceil((0.6 * FILTER_STEP_LIMIT) / MAX_FILTER_CONDITIONS);
    const emails = Array.from({ length: count }, (_, i) => ({ value: `e${i}@example.com` }));
    await s.store.create('User', { schemas: [USER], id: 'ada', userName: 'ada', emails, meta: { resourceType: 'User', version: 'W/"1"' } });
    const removal = (i: number) => ({ op: 'remove', path: `emails[${noMatch(MAX_FILTER_CONDITIONS - 1, 'value')} or value eq "e${i}@example.com"]` });
    expect((await s.patch('/Users/ada', patchBody(removal(0)))).statusCode).toBe(200);
    const body = expectScimError(await s.patch('/Users/ada', patchBody(removal(1), removal(2))), 400, 'tooMany');
    expect(body.detail).toMatch(/^Operation 2 \(remove emails\[.*\]\): The request needs more work than this server does for one \(/);
    const bulk = await s.post('/Bulk', {
      schemas: [BULK],
      Operations: [1, 2].map((i) => ({ method: 'PATCH', path: '/Users/ada', data: patchBody(removal(i)) })),
    });
    expect(bulk.json().Operations.map((op: Json) => [op.status, op.response?.scimType])).toEqual([
      ['200', undefined],
      ['400', 'tooMany'],
    ]);
    expect((await s.get('/Users/ada')).json().emails).toHaveLength(count - 2);
  });

  it('bounds PATCH operations going through a long list, and lets an IdP remove members one operation each', async () => {
    // On memory in every mode: 20,000 users are 20,000 transactions on PostgreSQL (past the test's time); the budget is scim/'s, the same on either store.
    const s = testServer({ store: 'memory' });
    const emails = Array.from({ length: 60_000 }, (_, i) => ({ value: `e${i}@example.com` }));
    await s.store.create('User', { schemas: [USER], id: 'ada', userName: 'ada', emails, meta: { resourceType: 'User', version: 'W/"1"' } });
    // Each add after another operation indexes the 60,000 emails anew: 17 of them are more than the budget.
    const alternating = Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? { op: 'add', path: 'emails', value: [{ value: `n${i}@example.com` }] } : { op: 'replace', path: 'title', value: `t${i}` }));
    const body = expectScimError(await s.patch('/Users/ada', patchBody(...alternating)), 400, 'tooMany');
    expect(body.detail).toMatch(/^Operation 33 \(add emails\): The request needs more work/);
    // Adds in a row share one index.
    const adds = Array.from({ length: 200 }, (_, i) => ({ op: 'add', path: 'emails', value: [{ value: `m${i}@example.com` }] }));
    expect((await s.patch('/Users/ada', patchBody(...adds))).statusCode).toBe(200);
    // Okta removes group members with one operation each (Okta ref §10.3).
    await seedUsers(s, 20_000);
    const members = Array.from({ length: 20_000 }, (_, i) => ({ value: `u${i}`, type: 'User' }));
    await s.store.create('Group', { schemas: [GROUP], id: 'g', displayName: 'G', members, meta: { resourceType: 'Group', version: 'W/"1"' } });
    const removals = Array.from({ length: 500 }, (_, i) => ({ op: 'remove', path: `members[value eq "u${i}"]` }));
    const removed = await s.patch('/Groups/g', patchBody(...removals));
    expect(removed.statusCode, removed.body.slice(0, 300)).toBe(200);
    expect(removed.json().members).toHaveLength(19_500);
  });

  it('spends on long strings by their length', async () => {
    const s = testServer();
    const title = 't'.repeat(1024 * 1024);
    for (let i = 0; i < 2; i++) await s.store.create('Group', { schemas: [GROUP], id: `g${i}`, displayName: `g${i}`, title, meta: { resourceType: 'Group', version: 'W/"1"' } });
    await seedUsers(s, 1);
    await s.store.replace('User', 'u0', { schemas: [USER], id: 'u0', userName: 'u0', title, meta: { resourceType: 'User', version: 'W/"2"' } });
    // 1 MiB compared is 1024 steps: 50 conditions on one such title spend about 51,000.
    expect((await s.list('/Users', { filter: noMatch(MAX_FILTER_CONDITIONS) })).statusCode).toBe(200);
    const users = Math.ceil(FILTER_STEP_LIMIT / (MAX_FILTER_CONDITIONS * 1025));
    for (let i = 1; i <= users; i++) await s.store.create('User', { schemas: [USER], id: `big${i}`, userName: `big${i}`, title, meta: { resourceType: 'User', version: 'W/"1"' } });
    expectScimError(await s.list('/Users', { filter: noMatch(MAX_FILTER_CONDITIONS) }), 400, 'tooMany');
  });
});
