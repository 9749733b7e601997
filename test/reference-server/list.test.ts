import { beforeAll, describe, expect, it } from 'vitest';
import { BASE, expectScimError, GROUP, ids, LIST, ORIGIN, query, SEARCH, T0, testServer, USER, type Json, type TestServer } from './resource-helpers.js';

const HOUR = 3600_000;
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Four users, one hour apart (meta.lastModified T0, T0+1h, T0+2h, T0+3h):
 * alice and Bob have names, emails and externalIds; carol has neither name nor email.
 */
async function people(s: TestServer) {
  const alice = await s.createUser('alice', {
    externalId: 'ext-a',
    displayName: 'Alice A',
    name: { givenName: 'Alice', familyName: 'Zeta' },
    // Her primary email sorts first; her first one would sort last.
    emails: [{ value: 'zz-alice@work.com', type: 'work' }, { value: 'alice@home.org', type: 'home', primary: true }],
    active: true,
    title: 'Engineer',
  });
  s.advance(HOUR);
  const bob = await s.createUser('Bob', {
    externalId: 'Ext-B',
    name: { familyName: 'young' },
    emails: [{ value: 'bob@work.com', type: 'work' }],
    active: false,
  });
  s.advance(HOUR);
  const carol = await s.createUser('carol', { active: true, title: 'engineering manager' });
  s.advance(HOUR);
  const dave = await s.createUser('dave', { name: { familyName: 'Adams' }, emails: [{ value: 'dave@Example.com', type: 'other' }] });
  s.advance(HOUR);
  return { alice: alice.id as string, bob: bob.id as string, carol: carol.id as string, dave: dave.id as string };
}

describe('GET /Users: the ListResponse (RFC 7644 §3.4.2)', () => {
  it('has the RFC shape, every user in creation order', async () => {
    const s = testServer();
    const p = await people(s);
    const res = await s.get('/Users');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(Object.keys(body).sort()).toEqual(['Resources', 'itemsPerPage', 'schemas', 'startIndex', 'totalResults']);
    expect(body.schemas).toEqual([LIST]);
    expect(body.totalResults).toBe(4);
    expect(body.itemsPerPage).toBe(4);
    expect(body.startIndex).toBe(1);
    expect(body.Resources.map((r: Json) => r.id)).toEqual([p.alice, p.bob, p.carol, p.dave]);
    for (const r of body.Resources as Json[]) {
      expect(r.schemas).toEqual([USER]);
      expect(r.meta.location).toBe(`${ORIGIN}${BASE}/Users/${r.id}`);
      expect(r.meta.resourceType).toBe('User');
    }
  });

  it('is empty, with totalResults 0, when there is nothing', async () => {
    const s = testServer();
    expect((await s.get('/Users')).json()).toEqual({ schemas: [LIST], totalResults: 0, itemsPerPage: 0, startIndex: 1, Resources: [] });
    expect((await s.get('/Groups')).json().totalResults).toBe(0);
  });
});

describe('filters through the query string (RFC 7644 §3.4.2.2)', () => {
  const s = testServer();
  let p: Awaited<ReturnType<typeof people>>;
  beforeAll(async () => {
    p = await people(s);
  });
  const find = async (filter: string) => ids(await s.list('/Users', { filter }));

  it.each<[string, (p: Record<string, string>) => string[]]>([
    ['userName eq "ALICE"', (p) => [p.alice!]],
    ['userName ne "alice"', (p) => [p.bob!, p.carol!, p.dave!]],
    ['userName co "O"', (p) => [p.bob!, p.carol!]],
    ['userName sw "b"', (p) => [p.bob!]],
    ['userName ew "E"', (p) => [p.alice!, p.dave!]],
    ['title pr', (p) => [p.alice!, p.carol!]],
    ['name.familyName pr', (p) => [p.alice!, p.bob!, p.dave!]],
    ['userName gt "bob"', (p) => [p.carol!, p.dave!]],
    ['userName ge "bob"', (p) => [p.bob!, p.carol!, p.dave!]],
    ['userName lt "Bob"', (p) => [p.alice!]],
    ['userName le "BOB"', (p) => [p.alice!, p.bob!]],
    ['active eq true', (p) => [p.alice!, p.carol!]],
    ['active eq false', (p) => [p.bob!]],
    ['active ne true', (p) => [p.bob!]],
    ['title eq null', (p) => [p.bob!, p.dave!]],
    ['USERNAME EQ "alice"', (p) => [p.alice!]],
    ['urn:ietf:params:scim:schemas:core:2.0:User:userName eq "carol"', (p) => [p.carol!]],
    ['meta.resourceType eq "User"', (p) => [p.alice!, p.bob!, p.carol!, p.dave!]],
    ['emails.value ew "@work.com"', (p) => [p.alice!, p.bob!]],
    ['emails co "example.com"', (p) => [p.dave!]],
    ['emails.type eq "home"', (p) => [p.alice!]],
  ])('%s', async (filter, expected) => {
    expect(await find(filter)).toEqual(expected(p));
  });

  it('and, or, not and parentheses', async () => {
    expect(await find('active eq true and title co "engineer"')).toEqual([p.alice, p.carol]);
    expect(await find('userName eq "alice" or userName eq "dave"')).toEqual([p.alice, p.dave]);
    expect(await find('not (active eq true)')).toEqual([p.bob, p.dave]);
    expect(await find('title pr and not (userName eq "alice")')).toEqual([p.carol]);
    expect(await find('(userName eq "alice" or userName eq "bob") and active eq false')).toEqual([p.bob]);
    expect(await find('userName eq "alice" or userName eq "bob" and active eq false')).toEqual([p.alice, p.bob]);
    expect(await find('userName eq "alice" and (title pr or active eq false)')).toEqual([p.alice]);
  });

  it('value paths: emails[type eq "work" and value co "bob"]', async () => {
    expect(await find('emails[type eq "work" and value co "bob"]')).toEqual([p.bob]);
    expect(await find('emails[type eq "work"]')).toEqual([p.alice, p.bob]);
    expect(await find('emails[type eq "home" and primary eq true]')).toEqual([p.alice]);
    expect(await find('emails[not (type eq "work")]')).toEqual([p.alice, p.dave]);
    expect(await find('userName sw "a" and emails[value ew ".org"]')).toEqual([p.alice]);
  });

  it('caseExact: id and externalId compare exactly, userName ignores case', async () => {
    expect(await find(`id eq "${p.alice}"`)).toEqual([p.alice]);
    expect(await find(`id eq "${p.alice!.toUpperCase()}"`)).toEqual([]);
    expect(await find('externalId eq "ext-a"')).toEqual([p.alice]);
    expect(await find('externalId eq "EXT-A"')).toEqual([]);
    expect(await find('externalId sw "Ext"')).toEqual([p.bob]);
    expect(await find('userName eq "BOB"')).toEqual([p.bob]);
    expect(await find('userName eq "bob" and externalId eq "Ext-B"')).toEqual([p.bob]);
  });

  it('dateTime comparisons on meta.lastModified compare instants', async () => {
    expect(await find(`meta.lastModified gt "${iso(T0 + HOUR)}"`)).toEqual([p.carol, p.dave]);
    expect(await find(`meta.lastModified ge "${iso(T0 + HOUR)}"`)).toEqual([p.bob, p.carol, p.dave]);
    expect(await find(`meta.lastModified lt "${iso(T0 + HOUR)}"`)).toEqual([p.alice]);
    expect(await find(`meta.lastModified le "${iso(T0 + HOUR)}"`)).toEqual([p.alice, p.bob]);
    expect(await find(`meta.lastModified eq "${iso(T0 + 2 * HOUR)}"`)).toEqual([p.carol]);
    // Another spelling of the same instant: no fraction, another zone.
    expect(await find('meta.lastModified eq "2024-03-01T13:00:00+01:00"')).toEqual([p.carol]);
    expect(await find('meta.created gt "2024-03-01T10:30:00Z" and meta.created lt "2024-03-01T12:30:00Z"')).toEqual([p.bob, p.carol]);
  });

  it('sees changes: a PATCH moves lastModified', async () => {
    const t = testServer();
    const q = await people(t);
    t.advance(HOUR);
    await t.patch(`/Users/${q.alice}`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'title', value: 'CTO' }] });
    expect(ids(await t.list('/Users', { filter: `meta.lastModified gt "${iso(T0 + 3 * HOUR)}"` }))).toEqual([q.alice]);
    expect(ids(await t.list('/Users', { filter: `meta.created gt "${iso(T0 + 3 * HOUR)}"` }))).toEqual([]);
  });

  it('an attribute no schema defines is 400 invalidFilter (strict)', async () => {
    for (const filter of ['nickname2 eq "x"', 'name.nickName pr', 'emails[color eq "red"]', 'urn:example:foo:bar eq "x"', 'members pr']) {
      const body = expectScimError(await s.list('/Users', { filter }), 400, 'invalidFilter');
      expect(body.detail).toMatch(/no schema of User defines/);
    }
  });

  it('an unknown attribute matches nothing with ignoreUnknownAttributes', async () => {
    const lenient = testServer({ compat: { ignoreUnknownAttributes: true } });
    await lenient.createUser('ada');
    const res = await lenient.list('/Users', { filter: 'nickname2 eq "x"' });
    expect(res.json().totalResults).toBe(0);
  });

  it("Entra's legacy unquoted value: 400 invalidFilter when strict, a match with unquotedFilterValues", async () => {
    expectScimError(await s.list('/Users', { filter: 'externalId eq jyoung' }), 400, 'invalidFilter');
    const lenient = testServer({ compat: { unquotedFilterValues: true } });
    const adele = await lenient.createUser('adele@contoso.com', { externalId: 'jyoung' });
    await lenient.createUser('other', { externalId: 'jyoung2' });
    for (const filter of ['externalId eq jyoung', 'userName eq adele@contoso.com', `id eq ${adele.id}`]) {
      expect(ids(await lenient.list('/Users', { filter })), filter).toEqual([adele.id]);
    }
  });

  it('a filter that does not parse is 400 invalidFilter with a position', async () => {
    for (const filter of ['userName eq', 'userName eq "alice" and', 'userName xx "a"', '(userName eq "a"', 'userName eq "a" )', 'emails[type eq "work"', 'userName eq "unterminated']) {
      const body = expectScimError(await s.list('/Users', { filter }), 400, 'invalidFilter');
      expect(body.detail, filter).toMatch(/position \d+/);
    }
    const gt = expectScimError(await s.list('/Users', { filter: 'active gt true' }), 400, 'invalidFilter');
    expect(gt.detail).toContain('gt');
  });

  it('meta.location is computed, not stored: a filter on it is 400 invalidFilter rather than matching nothing', async () => {
    for (const filter of [`meta.location eq "${ORIGIN}${BASE}/Users/${p.alice}"`, 'meta.location pr', 'meta[location pr]', 'not (meta.location co "x")']) {
      const body = expectScimError(await s.list('/Users', { filter }), 400, 'invalidFilter');
      expect(body.detail, filter).toContain('meta.location');
      expectScimError(await s.list('/Groups', { filter }), 400, 'invalidFilter');
    }
    expectScimError(await s.post('/.search', { schemas: [SEARCH], filter: 'meta.location pr' }), 400, 'invalidFilter');
    // The stored parts of meta filter as usual.
    expect(await find('meta.version eq "W/\\"1\\"" and meta[resourceType eq "User"]')).toEqual([p.alice, p.bob, p.carol, p.dave]);
  });

  it('the filter parameter given twice is 400', async () => {
    expectScimError(await s.get('/Users?filter=title%20pr&filter=title%20pr'), 400, 'invalidValue');
  });

  it('filters Groups by displayName and members', async () => {
    const g1 = await s.createGroup('Engineers', [p.alice!, p.carol!]);
    const g2 = await s.createGroup('managers', [p.carol!]);
    expect(ids(await s.list('/Groups', { filter: 'displayName eq "ENGINEERS"' }))).toEqual([g1.id]);
    expect(ids(await s.list('/Groups', { filter: `members.value eq "${p.carol}"` }))).toEqual([g1.id, g2.id]);
    expect(ids(await s.list('/Groups', { filter: `members[value eq "${p.alice}"]` }))).toEqual([g1.id]);
    expect(ids(await s.list('/Groups', { filter: 'members pr and displayName sw "m"' }))).toEqual([g2.id]);
    expectScimError(await s.list('/Groups', { filter: 'userName eq "alice"' }), 400, 'invalidFilter');
    // A user's groups are computed, not stored: a filter on them is refused rather than matching nothing.
    for (const filter of [`groups.value eq "${g2.id}"`, 'groups pr', `groups[value eq "${g2.id}"]`, `userName eq "carol" and not (groups pr)`]) {
      const body = expectScimError(await s.list('/Users', { filter }), 400, 'invalidFilter');
      expect(body.detail).toContain('members.value');
    }
    expectScimError(await s.post('/.search', { schemas: [SEARCH], filter: `groups.value eq "${g2.id}"` }), 400, 'invalidFilter');
  });
});

describe('sortBy and sortOrder (RFC 7644 §3.4.2.3)', () => {
  const s = testServer();
  let p: Awaited<ReturnType<typeof people>>;
  beforeAll(async () => {
    p = await people(s);
  });
  const sorted = async (params: Record<string, string>) => ids(await s.list('/Users', params));

  it('sorts strings ignoring case unless caseExact', async () => {
    expect(await sorted({ sortBy: 'userName' })).toEqual([p.alice, p.bob, p.carol, p.dave]);
    expect(await sorted({ sortBy: 'userName', sortOrder: 'descending' })).toEqual([p.dave, p.carol, p.bob, p.alice]);
    // externalId is caseExact: "Ext-B" < "ext-a"; without a value last.
    expect(await sorted({ sortBy: 'externalId' })).toEqual([p.bob, p.alice, p.carol, p.dave]);
  });

  it('sorts by a sub-attribute; no value last ascending, first descending', async () => {
    expect(await sorted({ sortBy: 'name.familyName' })).toEqual([p.dave, p.bob, p.alice, p.carol]);
    expect(await sorted({ sortBy: 'name.familyName', sortOrder: 'descending' })).toEqual([p.carol, p.alice, p.bob, p.dave]);
    expect(await sorted({ sortBy: 'title', sortOrder: 'DESCENDING' })).toEqual([p.bob, p.dave, p.carol, p.alice]);
  });

  it('sorts a multi-valued attribute by its primary value, else its first', async () => {
    expect(await sorted({ sortBy: 'emails' })).toEqual([p.alice, p.bob, p.dave, p.carol]);
    expect(await sorted({ sortBy: 'emails.value' })).toEqual([p.alice, p.bob, p.dave, p.carol]);
    expect(await sorted({ sortBy: 'emails.type' })).toEqual([p.alice, p.dave, p.bob, p.carol]);
  });

  it('sorts dateTimes and booleans', async () => {
    expect(await sorted({ sortBy: 'meta.created', sortOrder: 'descending' })).toEqual([p.dave, p.carol, p.bob, p.alice]);
    expect(await sorted({ sortBy: 'meta.lastModified' })).toEqual([p.alice, p.bob, p.carol, p.dave]);
    expect(await sorted({ sortBy: 'active' })).toEqual([p.bob, p.alice, p.carol, p.dave]);
  });

  it('sorts with a filter and ignores sortOrder without sortBy', async () => {
    expect(await sorted({ filter: 'emails pr', sortBy: 'name.familyName', sortOrder: 'descending' })).toEqual([p.alice, p.bob, p.dave]);
    expect(await sorted({ sortOrder: 'descending' })).toEqual([p.alice, p.bob, p.carol, p.dave]);
  });

  it('refuses an unknown sortBy attribute or sortOrder with 400', async () => {
    expectScimError(await s.list('/Users', { sortBy: 'shoeSize' }), 400, 'invalidValue');
    expectScimError(await s.list('/Users', { sortBy: 'userName', sortOrder: 'up' }), 400, 'invalidValue');
    expectScimError(await s.list('/Users', { sortBy: 'user name' }), 400, 'invalidValue');
  });
});

describe('paging (RFC 7644 §3.4.2.4)', () => {
  const s = testServer();
  let p: Awaited<ReturnType<typeof people>>;
  beforeAll(async () => {
    p = await people(s);
  });

  it('startIndex and count select a page; totalResults counts every match', async () => {
    const res = await s.list('/Users', { startIndex: 2, count: 2 });
    expect(res.json()).toMatchObject({ totalResults: 4, itemsPerPage: 2, startIndex: 2 });
    expect(ids(res)).toEqual([p.bob, p.carol]);
    const last = await s.list('/Users', { startIndex: 4, count: 2 });
    expect(last.json()).toMatchObject({ totalResults: 4, itemsPerPage: 1, startIndex: 4 });
  });

  it('a startIndex below 1 is read as 1', async () => {
    for (const startIndex of [0, -1, -100]) {
      const res = await s.list('/Users', { startIndex, count: 2 });
      expect(res.json().startIndex).toBe(1);
      expect(ids(res)).toEqual([p.alice, p.bob]);
    }
  });

  it('count=0 answers only totalResults', async () => {
    const res = await s.list('/Users', { count: 0 });
    expect(res.json()).toEqual({ schemas: [LIST], totalResults: 4, itemsPerPage: 0, startIndex: 1, Resources: [] });
    const filtered = await s.list('/Users', { count: 0, filter: 'active eq true' });
    expect(filtered.json().totalResults).toBe(2);
    // A negative count is read as 0.
    expect((await s.list('/Users', { count: -3 })).json()).toMatchObject({ totalResults: 4, itemsPerPage: 0, Resources: [] });
  });

  it('a page past the end is empty with itemsPerPage 0', async () => {
    const res = await s.list('/Users', { startIndex: 5, count: 10 });
    expect(res.json()).toEqual({ schemas: [LIST], totalResults: 4, itemsPerPage: 0, startIndex: 5, Resources: [] });
  });

  it('accepts a count or startIndex with surrounding spaces or a + sign', async () => {
    expect(ids(await s.get('/Users?startIndex=%2B2&count=%201'))).toEqual([p.bob]);
  });

  it('refuses a startIndex or count that is not an integer', async () => {
    for (const params of [{ startIndex: 'abc' }, { count: '1.5' }, { count: '' }, { startIndex: '0x10' }, { count: '1e3' }]) {
      expectScimError(await s.list('/Users', params), 400, 'invalidValue');
    }
  });

  it('clamps count to maxPageSize, and pages by maxPageSize without count', async () => {
    const small = testServer({ maxPageSize: 2 });
    const q = await people(small);
    const res = await small.list('/Users', { count: 100 });
    expect(res.json()).toMatchObject({ totalResults: 4, itemsPerPage: 2, startIndex: 1 });
    expect(ids(await small.get('/Users'))).toEqual([q.alice, q.bob]);
    expect(ids(await small.list('/Users', { startIndex: 3 }))).toEqual([q.carol, q.dave]);
    // A count larger than any integer is still a count, clamped.
    expect((await small.list('/Users', { count: '99999999999999999999999' })).json().itemsPerPage).toBe(2);
    const config = await small.get('/ServiceProviderConfig');
    expect(config.json().filter).toEqual({ supported: true, maxResults: 2 });
  });

  it('keeps a stable order across pages, sorted with ties or not', async () => {
    const t = testServer();
    const all: string[] = [];
    for (let i = 0; i < 23; i++) {
      // Three titles only: sortBy=title has many ties.
      all.push((await t.createUser(`user${String(i).padStart(2, '0')}`, { title: ['b', 'a', 'c'][i % 3] })).id);
      t.advance(1);
    }
    for (const params of [{}, { sortBy: 'title' }, { sortBy: 'title', sortOrder: 'descending' }, { sortBy: 'userName', sortOrder: 'descending' }]) {
      const full = ids(await t.list('/Users', params));
      expect(full).toHaveLength(23);
      const paged: string[] = [];
      for (let start = 1; start <= 23; start += 5) paged.push(...ids(await t.list('/Users', { ...params, startIndex: start, count: 5 })));
      expect(paged).toEqual(full);
    }
    expect(ids(await t.get('/Users'))).toEqual(all);
    // Ties keep creation order.
    const byTitle = ids(await t.list('/Users', { sortBy: 'title' }));
    expect(byTitle.slice(0, 8)).toEqual(all.filter((_, i) => i % 3 === 1));
  });
});

describe('attributes and excludedAttributes on a list (RFC 7644 §3.4.2.5)', () => {
  const s = testServer();
  let p: Awaited<ReturnType<typeof people>>;
  beforeAll(async () => {
    p = await people(s);
  });

  it('attributes keeps only the named ones, plus id and schemas', async () => {
    const res = await s.list('/Users', { attributes: 'userName,name.familyName', count: 2 });
    expect(res.json().Resources).toEqual([
      { schemas: [USER], id: p.alice, userName: 'alice', name: { familyName: 'Zeta' } },
      { schemas: [USER], id: p.bob, userName: 'Bob', name: { familyName: 'young' } },
    ]);
  });

  it('attributes given twice in the query add up', async () => {
    const res = await s.get('/Users?attributes=userName&attributes=title&count=1');
    expect(res.json().Resources).toEqual([{ schemas: [USER], id: p.alice, userName: 'alice', title: 'Engineer' }]);
  });

  it('excludedAttributes leaves the named ones out, never id or schemas', async () => {
    const res = await s.list('/Users', { excludedAttributes: 'emails,meta,name,id,schemas,displayName', count: 1 });
    expect(res.json().Resources).toEqual([{ schemas: [USER], id: p.alice, externalId: 'ext-a', userName: 'alice', active: true, title: 'Engineer' }]);
  });

  it('a malformed attribute name is 400 invalidValue; an unknown one selects nothing', async () => {
    expectScimError(await s.list('/Users', { attributes: 'user name' }), 400, 'invalidValue');
    expect((await s.list('/Users', { attributes: 'shoeSize', count: 1 })).json().Resources).toEqual([{ schemas: [USER], id: p.alice }]);
  });
});

describe('POST /Users/.search and /Groups/.search (RFC 7644 §3.4.3)', () => {
  const s = testServer();
  let p: Awaited<ReturnType<typeof people>>;
  beforeAll(async () => {
    p = await people(s);
  });

  it('answers as the GET with the same parameters would', async () => {
    const body = { schemas: [SEARCH], filter: 'title pr or active eq false', sortBy: 'userName', sortOrder: 'descending', startIndex: 1, count: 2, attributes: ['userName'] };
    const res = await s.post('/Users/.search', body);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      schemas: [LIST],
      totalResults: 3,
      itemsPerPage: 2,
      startIndex: 1,
      Resources: [
        { schemas: [USER], id: p.carol, userName: 'carol' },
        { schemas: [USER], id: p.bob, userName: 'Bob' },
      ],
    });
    const get = await s.list('/Users', { filter: body.filter, sortBy: 'userName', sortOrder: 'descending', startIndex: 1, count: 2, attributes: 'userName' });
    expect(get.json()).toEqual(res.json());
  });

  it('follows the RFC 7644 §3.4.3 example body', async () => {
    const res = await s.post('/Users/.search', {
      schemas: [SEARCH],
      attributes: ['displayName', 'userName'],
      filter: 'displayName sw "smith"',
      startIndex: 1,
      count: 10,
    });
    expect(res.json()).toEqual({ schemas: [LIST], totalResults: 0, itemsPerPage: 0, startIndex: 1, Resources: [] });
    const found = await s.post('/Users/.search', { schemas: [SEARCH], attributes: ['displayName', 'userName'], filter: 'displayName sw "alice"' });
    expect(found.json().Resources).toEqual([{ schemas: [USER], id: p.alice, userName: 'alice', displayName: 'Alice A' }]);
  });

  it('accepts excludedAttributes as an array and an empty search', async () => {
    const res = await s.post('/Users/.search', { schemas: [SEARCH], excludedAttributes: ['meta', 'emails', 'name'], count: 1 });
    expect(res.json().Resources[0].meta).toBeUndefined();
    expect(res.json().Resources[0].userName).toBe('alice');
    expect((await s.post('/Users/.search', { schemas: [SEARCH] })).json().totalResults).toBe(4);
  });

  it('refuses a body without the SearchRequest schema, or no body, with 400', async () => {
    expectScimError(await s.post('/Users/.search', { filter: 'userName eq "alice"' }), 400, 'invalidSyntax');
    expectScimError(await s.post('/Users/.search', { schemas: [USER], filter: 'userName eq "alice"' }), 400, 'invalidSyntax');
    expectScimError(await s.post('/Users/.search'), 400, 'invalidSyntax');
    expectScimError(await s.post('/Groups/.search', { schemas: 'nope' }), 400, 'invalidSyntax');
  });

  it('refuses bad members of the body', async () => {
    expectScimError(await s.post('/Users/.search', { schemas: [SEARCH], filter: 'userName eq' }), 400, 'invalidFilter');
    expectScimError(await s.post('/Users/.search', { schemas: [SEARCH], filter: 42 }), 400, 'invalidValue');
    expectScimError(await s.post('/Users/.search', { schemas: [SEARCH], count: 'ten' }), 400, 'invalidValue');
    expectScimError(await s.post('/Users/.search', { schemas: [SEARCH], count: 1.5 }), 400, 'invalidValue');
    expectScimError(await s.post('/Users/.search', { schemas: [SEARCH], attributes: [1] }), 400, 'invalidValue');
    expectScimError(await s.post('/Users/.search', { schemas: [SEARCH], sortBy: 'nope' }), 400, 'invalidValue');
  });

  it('is answered only to POST', async () => {
    const res = await s.get('/Users/.search');
    expectScimError(res, 405);
    expect(res.headers.allow).toBe('POST');
  });

  it('/Groups/.search searches groups', async () => {
    const g = await s.createGroup('Admins', [p.alice]);
    await s.createGroup('Staff');
    const res = await s.post('/Groups/.search', { schemas: [SEARCH], filter: `members[value eq "${p.alice}"]` });
    expect(ids(res)).toEqual([g.id]);
    expect(res.json().Resources[0].meta.location).toBe(`${ORIGIN}${BASE}/Groups/${g.id}`);
  });
});

describe('POST /.search at the root (RFC 7644 §3.4.3)', () => {
  async function mixed() {
    const s = testServer();
    const p = await people(s);
    const admins = await s.createGroup('admins', [p.alice]);
    const bots = await s.createGroup('Bots');
    return { s, p, admins: admins.id as string, bots: bots.id as string };
  }

  it('searches Users and Groups together, each with its own location', async () => {
    const { s, p, admins, bots } = await mixed();
    const res = await s.post('/.search', { schemas: [SEARCH] });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.totalResults).toBe(6);
    expect(ids(res)).toEqual([p.alice, p.bob, p.carol, p.dave, admins, bots]);
    for (const r of body.Resources as Json[]) {
      const endpoint = r.schemas[0] === GROUP ? 'Groups' : 'Users';
      expect(r.meta.location).toBe(`${ORIGIN}${BASE}/${endpoint}/${r.id}`);
    }
  });

  it('filters on an attribute both define, and on one that only one defines', async () => {
    const { s, p, admins, bots } = await mixed();
    expect(ids(await s.post('/.search', { schemas: [SEARCH], filter: 'displayName sw "a"' }))).toEqual([p.alice, admins]);
    expect(ids(await s.post('/.search', { schemas: [SEARCH], filter: 'userName sw "b"' }))).toEqual([p.bob]);
    expect(ids(await s.post('/.search', { schemas: [SEARCH], filter: 'meta.resourceType eq "Group"' }))).toEqual([admins, bots]);
    // Each attribute is defined by one of the two types: a valid search.
    expect(ids(await s.post('/.search', { schemas: [SEARCH], filter: 'userName eq "carol" or members pr' }))).toEqual([p.carol, admins]);
  });

  it('refuses an attribute neither type defines with 400 invalidFilter', async () => {
    const { s } = await mixed();
    const body = expectScimError(await s.post('/.search', { schemas: [SEARCH], filter: 'shoeSize eq 42' }), 400, 'invalidFilter');
    expect(body.detail).toContain('shoeSize');
    const mixedBody = expectScimError(await s.post('/.search', { schemas: [SEARCH], filter: 'userName eq "x" or shoeSize eq 42' }), 400, 'invalidFilter');
    expect(mixedBody.detail).toContain('shoeSize');
    expect(mixedBody.detail).not.toContain('userName');
    // A value filter is one term: "members" exists in Groups only, and "color" in neither.
    const inner = expectScimError(await s.post('/.search', { schemas: [SEARCH], filter: 'members[color eq "red"]' }), 400, 'invalidFilter');
    expect(inner.detail).toContain('members[color eq "red"]');
  });

  it('sorts across both types', async () => {
    const { s, p, admins, bots } = await mixed();
    const res = await s.post('/.search', { schemas: [SEARCH], sortBy: 'displayName' });
    // "admins", "Alice A", "Bots", then those without displayName in their default order.
    expect(ids(res)).toEqual([admins, p.alice, bots, p.bob, p.carol, p.dave]);
    const desc = await s.post('/.search', { schemas: [SEARCH], sortBy: 'displayName', sortOrder: 'descending', count: 4 });
    expect(ids(desc)).toEqual([p.bob, p.carol, p.dave, bots]);
    expect(desc.json()).toMatchObject({ totalResults: 6, itemsPerPage: 4 });
    // userName only Users have: Groups sort last.
    expect(ids(await s.post('/.search', { schemas: [SEARCH], sortBy: 'userName' }))).toEqual([p.alice, p.bob, p.carol, p.dave, admins, bots]);
    expectScimError(await s.post('/.search', { schemas: [SEARCH], sortBy: 'shoeSize' }), 400, 'invalidValue');
  });

  it('pages and projects', async () => {
    const { s, p, admins } = await mixed();
    const res = await s.post('/.search', { schemas: [SEARCH], startIndex: 4, count: 2, attributes: ['displayName'] });
    expect(res.json()).toEqual({
      schemas: [LIST],
      totalResults: 6,
      itemsPerPage: 2,
      startIndex: 4,
      Resources: [
        { schemas: [USER], id: p.dave },
        { schemas: [GROUP], id: admins, displayName: 'admins' },
      ],
    });
    const none = await s.post('/.search', { schemas: [SEARCH], count: 0 });
    expect(none.json()).toEqual({ schemas: [LIST], totalResults: 6, itemsPerPage: 0, startIndex: 1, Resources: [] });
    const past = await s.post('/.search', { schemas: [SEARCH], startIndex: 50 });
    expect(past.json()).toMatchObject({ totalResults: 6, itemsPerPage: 0, Resources: [] });
  });

  it('clamps count to maxPageSize', async () => {
    const s = testServer({ maxPageSize: 3 });
    await people(s);
    expect((await s.post('/.search', { schemas: [SEARCH], count: 1000 })).json()).toMatchObject({ totalResults: 4, itemsPerPage: 3 });
  });

  it('refuses a body without the SearchRequest schema, and any method but POST', async () => {
    const { s } = await mixed();
    expectScimError(await s.post('/.search', { filter: 'userName pr' }), 400, 'invalidSyntax');
    expectScimError(await s.post('/.search'), 400, 'invalidSyntax');
    const get = await s.get('/.search');
    expectScimError(get, 405);
    expect(get.headers.allow).toBe('POST');
  });
});

describe('the query string', () => {
  it('is URL-decoded: a filter with reserved characters finds its value', async () => {
    const s = testServer();
    const odd = await s.createUser('a+b&c=d "quoted" é@example.com');
    await s.createUser('other');
    const filter = 'userName eq "a+b&c=d \\"quoted\\" é@example.com"';
    expect(ids(await s.get(`/Users${query({ filter })}`))).toEqual([odd.id]);
  });
});

describe('the filter examples of RFC 7644 §3.4.2.2', () => {
  const s = testServer();
  const u: Record<string, string> = {};
  beforeAll(async () => {
    u.bjensen = (
      await s.createUser('bjensen', {
        schemas: [USER, 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'],
        name: { familyName: "O'Malley" },
        title: 'Tour Guide',
        userType: 'Employee',
        emails: [{ type: 'work', value: 'bjensen@example.com' }],
        'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { employeeNumber: '1' },
      })
    ).id;
    s.advance(HOUR);
    u.jsmith = (await s.createUser('jsmith', { userType: 'Intern', emails: [{ type: 'home', value: 'jsmith@example.org' }], ims: [{ type: 'xmpp', value: 'jsmith@foo.com' }] })).id;
    s.advance(HOUR);
    u.jane = (await s.createUser('Jane', { userType: 'Employee', title: 'Manager', emails: [{ type: 'home', value: 'jane@example.com' }] })).id;
    s.advance(HOUR);
    u.pat = (await s.createUser('pat', { userType: 'Contractor', emails: [{ type: 'work', value: 'pat@example.net' }] })).id;
  });

  it.each<[string, string[]]>([
    ['userName eq "bjensen"', ['bjensen']],
    [`name.familyName co "O'Malley"`, ['bjensen']],
    ['userName sw "J"', ['jsmith', 'jane']],
    ['urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J"', ['jsmith', 'jane']],
    ['title pr', ['bjensen', 'jane']],
    [`meta.lastModified gt "${iso(T0 + HOUR)}"`, ['jane', 'pat']],
    [`meta.lastModified ge "${iso(T0 + HOUR)}"`, ['jsmith', 'jane', 'pat']],
    [`meta.lastModified lt "${iso(T0 + HOUR)}"`, ['bjensen']],
    [`meta.lastModified le "${iso(T0 + HOUR)}"`, ['bjensen', 'jsmith']],
    ['title pr and userType eq "Employee"', ['bjensen', 'jane']],
    ['title pr or userType eq "Intern"', ['bjensen', 'jsmith', 'jane']],
    ['schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"', ['bjensen']],
    ['userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")', ['bjensen', 'jane']],
    ['userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")', ['pat']],
    ['userType eq "Employee" and (emails.type eq "work")', ['bjensen']],
    ['userType eq "Employee" and emails[type eq "work" and value co "@example.com"]', ['bjensen']],
    ['emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]', ['bjensen', 'jsmith']],
  ])('%s', async (filter, expected) => {
    expect(ids(await s.list('/Users', { filter }))).toEqual(expected.map((name) => u[name]));
    expect(ids(await s.post('/Users/.search', { schemas: [SEARCH], filter }))).toEqual(expected.map((name) => u[name]));
  });

  it('§3.4.2 GET /Users?attributes=userName: the list response of the example', async () => {
    const res = await s.list('/Users', { attributes: 'userName', filter: 'userName eq "bjensen" or userName eq "jsmith"' });
    expect(res.json()).toEqual({
      schemas: [LIST],
      totalResults: 2,
      itemsPerPage: 2,
      startIndex: 1,
      Resources: [
        { schemas: [USER, 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'], id: u.bjensen, userName: 'bjensen' },
        { schemas: [USER], id: u.jsmith, userName: 'jsmith' },
      ],
    });
  });
});
