import { readFile } from 'node:fs/promises';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { describeAct, errorPage, faultAnswer } from '../../reference-server/faults/answer.js';
import { checkFaultSet, FaultSetError } from '../../reference-server/faults/check.js';
import { compileRules, decide, type EngineState } from '../../reference-server/faults/engine.js';
import { loadFaultFile } from '../../reference-server/faults/file.js';
import { FaultInjector } from '../../reference-server/faults/injector.js';
import { compilePathPattern, pathBelow } from '../../reference-server/faults/path-pattern.js';
import type { FaultRule, FaultSet } from '../../reference-server/faults/types.js';

const T0 = Date.parse('2026-01-05T09:00:00.000Z');
const root = new URL('../../', import.meta.url);

/** An injector over /scim/v2 on a clock the test moves; `hits` runs requests and says which rule acted on each. */
function injector(set: FaultSet | FaultRule[], clock = { now: T0 }) {
  const faults = new FaultInjector('/scim/v2', () => new Date(clock.now), Array.isArray(set) ? { rules: set } : set);
  const hit = (method: string, url: string) => faults.decide(method, `/scim/v2${url}`)?.index;
  return { faults, clock, hit, hits: (method: string, url: string, times: number) => Array.from({ length: times }, () => hit(method, url)) };
}

const STATUS = { status: 500 };

describe('path patterns', () => {
  const matches = (pattern: string, path: string) => {
    const test = compilePathPattern(pattern);
    if (typeof test !== 'function') throw new Error(test.problem);
    return test(path);
  };

  it.each([
    ['/Users', '/Users', true],
    ['/Users', '/Users/1', false],
    ['/Users', '/users', false],
    ['/Users/*', '/Users/2819c223', true],
    ['/Users/*', '/Users/.search', true],
    ['/Users/*', '/Users', false],
    ['/Users/*', '/Users/a/b', false],
    ['/Users/ada*', '/Users/ada-1', true],
    ['/Users/ada*', '/Users/bob', false],
    ['/Groups/**', '/Groups', true],
    ['/Groups/**', '/Groups/42', true],
    ['/Groups/**', '/Groups/42/x', true],
    ['/Groups/**', '/GroupsX', false],
    ['/**', '/', true],
    ['/**', '/Schemas/urn:x', true],
    ['/', '/', true],
    ['/', '/Users', false],
    ['/Schemas/urn:ietf:*', '/Schemas/urn:ietf:params:scim:schemas:core:2.0:User', true],
    ['/a.b', '/axb', false],
  ])('%s on %s: %s', (pattern, path, expected) => {
    expect(matches(pattern, path)).toBe(expected);
  });

  it('refuses a pattern without a leading slash, with a query, or with ** inside a segment', () => {
    expect(compilePathPattern('Users')).toEqual({ problem: expect.stringContaining('must start with "/"') });
    expect(compilePathPattern('/Users?filter=x')).toEqual({ problem: expect.stringContaining('match.query') });
    expect(compilePathPattern('/Users/a**')).toEqual({ problem: expect.stringContaining('whole segment') });
  });

  it('reads the path below the base path: decoded, no query, no trailing slash; undefined outside it', () => {
    expect(pathBelow('/scim/v2/Users/?filter=x', '/scim/v2')).toBe('/Users');
    expect(pathBelow('/scim/v2', '/scim/v2')).toBe('/');
    expect(pathBelow('/scim/v2/', '/scim/v2')).toBe('/');
    expect(pathBelow('/scim/v2/Users/ada%40example.com', '/scim/v2')).toBe('/Users/ada@example.com');
    expect(pathBelow('/scim/v2/Users/%E0%A4%A', '/scim/v2')).toBe('/Users/%E0%A4%A');
    expect(pathBelow('/scim/v2x/Users', '/scim/v2')).toBeUndefined();
    expect(pathBelow('/_scimulator/faults', '/scim/v2')).toBeUndefined();
    expect(pathBelow('/Users', '')).toBe('/Users');
  });
});

describe('matching', () => {
  it('by method: one or a list; GET does not match HEAD', () => {
    const { hit } = injector([
      { match: { method: 'POST' }, act: STATUS },
      { match: { method: ['PUT', 'PATCH'] }, act: STATUS },
    ]);
    expect([hit('POST', '/Users'), hit('PUT', '/Users/1'), hit('PATCH', '/Users/1'), hit('GET', '/Users'), hit('DELETE', '/Users/1')]).toEqual([0, 1, 1, undefined, undefined]);
    expect(injector([{ match: { method: 'GET' }, act: STATUS }]).hit('HEAD', '/Users')).toBeUndefined();
  });

  it('by path, below the base path only', () => {
    const { hit, faults } = injector([{ match: { path: '/Users/*' }, act: STATUS }]);
    expect([hit('GET', '/Users/1'), hit('GET', '/Users'), hit('GET', '/Groups/1')]).toEqual([0, undefined, undefined]);
    expect(faults.decide('GET', '/_scimulator/faults')).toBeUndefined();
    // No path: every request below the base path, the base itself included.
    expect(injector([{ act: STATUS }]).hit('GET', '')).toBe(0);
    expect(injector([{ act: STATUS }]).faults.decide('GET', '/other')).toBeUndefined();
  });

  it('by query: exact decoded value, a part of it, present, absent', () => {
    const { hit } = injector([
      { match: { query: { filter: 'userName eq "ada"' } }, act: STATUS },
      { match: { query: { filter: { contains: 'externalId' } } }, act: STATUS },
      { match: { query: { startIndex: true, count: false } }, act: STATUS },
    ]);
    expect(hit('GET', '/Users?filter=userName%20eq%20%22ada%22')).toBe(0);
    expect(hit('GET', '/Users?filter=userName+eq+%22ada%22')).toBe(0);
    expect(hit('GET', '/Users?filter=userName eq "bob"')).toBeUndefined();
    expect(hit('GET', '/Users?filter=externalId eq "7"')).toBe(1);
    expect(hit('GET', '/Users?startIndex=1')).toBe(2);
    expect(hit('GET', '/Users?startIndex=1&count=10')).toBeUndefined();
    expect(hit('GET', '/Users?Filter=userName eq "ada"')).toBeUndefined();
  });

  it('nth: only the n-th request the rule counts', () => {
    expect(injector([{ match: { path: '/Users', nth: 2 }, act: STATUS }]).hits('GET', '/Users', 4)).toEqual([undefined, 0, undefined, undefined]);
  });

  it('every: the n-th, the 2n-th…', () => {
    expect(injector([{ match: { every: 3 }, act: STATUS }]).hits('GET', '/Users', 7)).toEqual([undefined, undefined, 0, undefined, undefined, 0, undefined]);
  });

  it('times: at most so many faults, then the rule is spent and counts no more', () => {
    const { hits, faults } = injector([{ match: { times: 2 }, act: STATUS }]);
    expect(hits('GET', '/Users', 4)).toEqual([0, 0, undefined, undefined]);
    expect(faults.list().rules[0]).toMatchObject({ matched: 2, acted: 2, spent: true });
  });

  it('counts only requests that pass the other conditions', () => {
    const { hit } = injector([{ match: { method: 'POST', nth: 2 }, act: STATUS }]);
    expect([hit('POST', '/Users'), hit('GET', '/Users'), hit('GET', '/Users'), hit('POST', '/Users')]).toEqual([undefined, undefined, undefined, 0]);
  });

  it('tries rules in order: the first that acts decides; one that does not act lets the next try', () => {
    const { hits, faults } = injector([
      { name: 'second', match: { nth: 2 }, act: { status: 429 } },
      { name: 'all', act: { status: 503 } },
    ]);
    expect(hits('GET', '/Users', 3)).toEqual([1, 0, 1]);
    expect(faults.list().rules.map(({ matched, acted }) => [matched, acted])).toEqual([
      [3, 1],
      [2, 2],
    ]);
  });

  it('probability: drawn from the seeded generator, so the same seed repeats the same sequence', () => {
    const rules: FaultRule[] = [{ match: { probability: 0.3 }, act: STATUS }];
    const run = (seed: number) => injector({ seed, rules }).hits('GET', '/Users', 200).map((index) => index === 0);
    const first = run(7);
    expect(run(7)).toEqual(first);
    expect(run(8)).not.toEqual(first);
    const share = first.filter(Boolean).length / first.length;
    expect(share).toBeGreaterThan(0.15);
    expect(share).toBeLessThan(0.45);
    expect(injector([{ match: { probability: 0 }, act: STATUS }]).hits('GET', '/', 50)).not.toContain(0);
    expect(injector([{ match: { probability: 1 }, act: STATUS }]).hits('GET', '/', 50)).not.toContain(undefined);
  });

  it('probability: a fresh install restarts the generator from the seed', () => {
    const { faults, hits } = injector({ seed: 3, rules: [{ match: { probability: 0.5 }, act: STATUS }] });
    const first = hits('GET', '/', 30);
    faults.install({ seed: 3, rules: [{ match: { probability: 0.5 }, act: STATUS }] });
    expect(hits('GET', '/', 30)).toEqual(first);
  });

  it('a window on the server clock: offsets from installation, ISO instants; from included, until excluded', () => {
    const { hit, clock } = injector([{ match: { from: '+40m', until: '+1h' }, act: STATUS }]);
    expect(hit('GET', '/Users')).toBeUndefined();
    clock.now = T0 + 40 * 60_000 - 1;
    expect(hit('GET', '/Users')).toBeUndefined();
    clock.now = T0 + 40 * 60_000;
    expect(hit('GET', '/Users')).toBe(0);
    clock.now = T0 + 60 * 60_000;
    expect(hit('GET', '/Users')).toBeUndefined();

    const instants = injector([{ match: { from: '2026-01-05T10:00:00Z', until: '2026-01-05T12:00:00+01:00' }, act: STATUS }]);
    expect(instants.hit('GET', '/')).toBeUndefined();
    instants.clock.now = Date.parse('2026-01-05T10:30:00Z');
    expect(instants.hit('GET', '/')).toBe(0);
    instants.clock.now = Date.parse('2026-01-05T11:00:00Z');
    expect(instants.hit('GET', '/')).toBeUndefined();
  });

  it('offsets count from when the rules were installed or added', () => {
    const clock = { now: T0 };
    const { faults, hit } = injector([], clock);
    clock.now = T0 + 3_600_000;
    faults.add([{ match: { until: '+1m' }, act: STATUS }]);
    expect(hit('GET', '/')).toBe(0);
    clock.now += 60_000;
    expect(hit('GET', '/')).toBeUndefined();
  });

  it('decide is a pure function of the rules, the state, the request and the time', () => {
    const rules = compileRules(checkFaultSet({ rules: [{ match: { every: 2, probability: 0.5 }, act: STATUS }] }).rules, T0);
    const state: EngineState = { counts: [{ matched: 1, acted: 0 }], random: 99 };
    const request = { method: 'GET', path: '/Users', query: new URLSearchParams() };
    const once = decide(rules, state, request, T0);
    expect(decide(rules, state, request, T0)).toEqual(once);
    expect(state).toEqual({ counts: [{ matched: 1, acted: 0 }], random: 99 });
    expect(once.state.counts[0]!.matched).toBe(2);
    expect(once.state.random).not.toBe(99);
  });
});

describe('what a fault answers', () => {
  it('describes each act in a few words', () => {
    expect(describeAct({ status: 429, retryAfter: 30 })).toBe('429 Retry-After 30');
    expect(describeAct({ status: 429, retryAfter: { date: '+30s' } })).toBe('429 Retry-After +30s');
    expect(describeAct({ status: 502, html: true, delay: 1500 })).toBe('delay 1500 ms, then 502 HTML page');
    expect(describeAct({ delay: 200 })).toBe('delay 200 ms');
    expect(describeAct({ reset: 'before-headers' })).toBe('reset before headers');
    expect(describeAct({ reset: 'mid-body' })).toBe('reset mid-body');
    expect(describeAct({ truncate: true })).toBe('body truncated to half');
    expect(describeAct({ truncate: 10 })).toBe('body truncated to 10 bytes');
    expect(describeAct({ hang: true })).toBe('no answer');
  });

  it('a Retry-After date is an IMF-fixdate counted from the request on the server clock', () => {
    const answer = faultAnswer({ status: 429, retryAfter: { date: '+30s' } }, T0);
    expect(answer.headers['retry-after']).toBe('Mon, 05 Jan 2026 09:00:30 GMT');
    expect(faultAnswer({ status: 503, retryAfter: { date: '2026-02-01T00:00:00Z' } }, T0).headers['retry-after']).toBe('Sun, 01 Feb 2026 00:00:00 GMT');
  });

  it("nginx's error pages, with its 503 wording", () => {
    expect(errorPage(502)).toBe('<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n');
    expect(errorPage(503)).toContain('<title>503 Service Temporarily Unavailable</title>');
  });
});

describe('mistakes in a fault set', () => {
  const problem = (set: unknown) => {
    try {
      checkFaultSet(set);
    } catch (error) {
      if (error instanceof FaultSetError) return error.message;
      throw error;
    }
    return 'accepted';
  };
  const rule = (r: unknown) => problem({ rules: [{ act: STATUS }, r] });

  it.each([
    [{}, /^needs rules/],
    [{ rules: {} }, /^rules: must be a list of rules/],
    [{ rules: [], sead: 1 }, /^sead: unknown key: the keys here are \$schema, seed, rules/],
    [{ rules: [], seed: -1 }, /^seed: must be a whole number from 0 to 4294967295/],
    [{ rules: Array.from({ length: 101 }, () => ({ act: STATUS })) }, /^rules: must hold at most 100 rules, got 101/],
  ])('the set %j', (set, message) => {
    expect(problem(set)).toMatch(message);
  });

  const cases: [unknown, RegExp][] = [
    [{ match: {} }, /^rules\[1\]: needs act/],
    [{ act: STATUS, mach: {} }, /^rules\[1\]\.mach: unknown key: the keys here are name, match, act/],
    [{ act: {} }, /^rules\[1\]\.act: must do something/],
    [{ act: { stauts: 500 } }, /^rules\[1\]\.act\.stauts: unknown key: the keys here are status, headers/],
    [{ act: { status: 99 } }, /^rules\[1\]\.act\.status: must be a whole number from 200 to 599, got 99/],
    [{ act: { status: 500, reset: 'mid-body' } }, /^rules\[1\]\.act\.reset: give one of status, reset, truncate, hang in a rule, not status and reset/],
    [{ act: { hang: true, delay: 5 } }, /^rules\[1\]\.act\.delay: a hang has no answer to delay/],
    [{ act: { hang: false } }, /^rules\[1\]\.act\.hang: must be true/],
    [{ act: { delay: 600_001 } }, /^rules\[1\]\.act\.delay: must be a whole number from 0 to 600000 \(milliseconds; 10 minutes at most\)/],
    [{ act: { delay: 1.5 } }, /^rules\[1\]\.act\.delay: must be a whole number/],
    [{ act: { reset: 'after-body' } }, /^rules\[1\]\.act\.reset: must be before-headers or mid-body, got "after-body"/],
    [{ act: { truncate: -1 } }, /^rules\[1\]\.act\.truncate: must be a whole number from 0/],
    [{ act: { retryAfter: 30 } }, /^rules\[1\]\.act\.retryAfter: shapes the answer of a status: give status too/],
    [{ act: { status: 429, retryAfter: '30' } }, /^rules\[1\]\.act\.retryAfter: must be seconds \(30\) or \{ date: "\+30s" \}/],
    [{ act: { status: 429, retryAfter: { date: 'soon' } } }, /^rules\[1\]\.act\.retryAfter\.date: must be an ISO 8601 instant with a zone/],
    [{ act: { status: 429, retryAfter: { dates: '+1s' } } }, /^rules\[1\]\.act\.retryAfter\.dates: unknown key: the keys here are date/],
    [{ act: { status: 500, headers: { 'Content-Length': 5 } } }, /^rules\[1\]\.act\.headers\.Content-Length: cannot be set here/],
    [{ act: { status: 500, headers: { 'Content-Type': 'text/html' } } }, /^rules\[1\]\.act\.headers\.Content-Type: cannot be set here: use contentType/],
    [{ act: { status: 429, retryAfter: 1, headers: { 'Retry-After': 2 } } }, /^rules\[1\]\.act\.headers\.Retry-After: cannot be set here: retryAfter gives it already/],
    [{ act: { status: 500, headers: { 'bad name': 'x' } } }, /^rules\[1\]\.act\.headers\.bad name: is not a valid header name/],
    [{ act: { status: 500, headers: { 'X-A': 'a\r\nX-B: b' } } }, /^rules\[1\]\.act\.headers\.X-A: must be at most 8192 characters, without line breaks/],
    [{ act: { status: 500, headers: { 'X-A': true } } }, /^rules\[1\]\.act\.headers\.X-A: must be a string or a number/],
    [{ act: { status: 204, body: 'x' } }, /^rules\[1\]\.act\.body: a 204 answer has no body/],
    [{ act: { status: 500, body: 'x'.repeat(65 * 1024) } }, /^rules\[1\]\.act\.body: must be at most 65536 bytes \(64 KiB\), got 66560/],
    [{ act: { status: 502, html: true, body: { a: 1 } } }, /^rules\[1\]\.act\.body: with html: true, body must be the page, a string/],
    [{ act: { status: 502, html: true, contentType: 'text/html' } }, /^rules\[1\]\.act\.contentType: html: true sends text\/html/],
    [{ act: { status: 500, contentType: 'html' } }, /^rules\[1\]\.act\.contentType: must be a media type/],
    [{ act: STATUS, name: '' }, /^rules\[1\]\.name: must be a non-empty string/],
    [{ act: STATUS, name: 'café' }, /^rules\[1\]\.name: must be printable ASCII/],
    [{ act: STATUS, match: { methd: 'GET' } }, /^rules\[1\]\.match\.methd: unknown key: the keys here are method, path, query, nth, every, times, probability, from, until/],
    [{ act: STATUS, match: { method: 'get' } }, /^rules\[1\]\.match\.method: must be one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS \(in capitals\), got "get"/],
    [{ act: STATUS, match: { method: ['GET', 'FETCH'] } }, /^rules\[1\]\.match\.method\[1\]: must be one of/],
    [{ act: STATUS, match: { method: [] } }, /^rules\[1\]\.match\.method: must name at least one method/],
    [{ act: STATUS, match: { path: 'Users' } }, /^rules\[1\]\.match\.path: must start with "\/"/],
    [{ act: STATUS, match: { query: { filter: 3 } } }, /^rules\[1\]\.match\.query\.filter: must be the exact value \(a string\), \{ contains: "part" \}, true \(present\) or false \(absent\), got 3/],
    [{ act: STATUS, match: { query: { filter: { contain: 'x' } } } }, /^rules\[1\]\.match\.query\.filter\.contain: unknown key: the keys here are contains/],
    [{ act: STATUS, match: { nth: 0 } }, /^rules\[1\]\.match\.nth: must be a whole number from 1/],
    [{ act: STATUS, match: { nth: 1, every: 2 } }, /^rules\[1\]\.match\.every: give nth \(one request\) or every \(each n-th\), not both/],
    [{ act: STATUS, match: { times: 'once' } }, /^rules\[1\]\.match\.times: must be a whole number from 1/],
    [{ act: STATUS, match: { probability: 1.5 } }, /^rules\[1\]\.match\.probability: must be a number from 0 to 1, got 1.5/],
    [{ act: STATUS, match: { from: '40m' } }, /^rules\[1\]\.match\.from: must be an ISO 8601 instant with a zone \(2026-01-05T09:00:00Z\) or an offset such as \+30s/],
    [{ act: STATUS, match: { from: '2026-01-05' } }, /^rules\[1\]\.match\.from: must be an ISO 8601 instant/],
    [{ act: STATUS, match: { from: '+1h', until: '+30m' } }, /^rules\[1\]\.match\.until: must come after from: the window would be empty/],
  ];
  it.each(cases.map(([given, message]) => [JSON.stringify(given).slice(0, 90), given, message] as const))('the rule %s', (_title, given, message) => {
    expect(rule(given)).toMatch(message);
  });

  it('accepts every documented form', () => {
    const set = checkFaultSet({
      $schema: '../faults.schema.json',
      seed: 4294967295,
      rules: [
        { name: 'all of it', match: { method: ['GET', 'HEAD'], path: '/Users/**', query: { a: 'x', b: { contains: 'y' }, c: true, d: false }, every: 2, times: 3, probability: 0.5, from: '+0ms', until: '2030-01-01T00:00:00.123+02:00' }, act: { status: 503, retryAfter: { date: '+1d' }, headers: { 'X-N': 0 }, body: 'down', contentType: 'text/plain', delay: 0 } },
        { act: { status: 200, body: { Resources: [] } } },
        { act: { status: 502, html: true, body: '<html></html>' } },
        { act: { reset: 'mid-body', delay: 10 } },
        { act: { truncate: 0 } },
        { act: { hang: true } },
      ],
    });
    expect(set.rules[0]!.act.headers).toEqual({ 'X-N': '0' });
    expect(set.rules[0]!.match!.method).toEqual(['GET', 'HEAD']);
  });

  it('install and add leave the rules in force as they were when they refuse', () => {
    const { faults } = injector([{ name: 'kept', act: STATUS }]);
    expect(() => faults.install({ rules: [{ act: { status: 1 } }] })).toThrow(/rules\[0\]\.act\.status/);
    expect(() => faults.add(Array.from({ length: 100 }, () => ({ act: STATUS })))).toThrow('rules: would make 101 rules, and a server holds at most 100: clear or replace them');
    expect(faults.list().rules.map((r) => r.rule.name)).toEqual(['kept']);
  });
});

describe('a faults file', () => {
  it('reports a mistake at its line and column', () => {
    const text = 'rules:\n  - match: { method: POST }\n    act:\n      status: 99\n';
    expect(() => loadFaultFile(text, 'faults.yaml')).toThrow('faults.yaml:4:7: rules[0].act.status: must be a whole number from 200 to 599, got 99');
    expect(() => loadFaultFile('rules:\n  - act: { status: 500 }\n    mach: {}\n', 'f.yaml')).toThrow('f.yaml:3:5: rules[0].mach: unknown key');
    expect(() => loadFaultFile('rules: [\n', 'f.yaml')).toThrow(/^f\.yaml:2:1: /);
    expect(() => loadFaultFile('{"rules": [{"act": {"hang": 1}}]}', 'f.json')).toThrow('f.json:1:21: rules[0].act.hang: must be true');
    expect(() => loadFaultFile('', 'empty.yaml')).toThrow('empty.yaml:1:1: needs rules');
  });
});

describe('the JSON Schema, docs/faults.schema.json', async () => {
  const ajv = new Ajv2020({ allErrors: true });
  const validate = ajv.compile(JSON.parse(await readFile(new URL('docs/faults.schema.json', root), 'utf8')));
  const example = parse(await readFile(new URL('docs/examples/faults.yaml', root), 'utf8'));

  it('accepts the example file, which the server accepts too', () => {
    expect(validate(example), ajv.errorsText(validate.errors)).toBe(true);
    expect(loadFaultFile(JSON.stringify(example), 'example').rules).toHaveLength(example.rules.length);
  });

  it('accepts every documented form and refuses what the server refuses, where a schema can say it', () => {
    const acts: unknown[] = [{ status: 200 }, { delay: 5 }, { reset: 'before-headers' }, { truncate: true }, { truncate: 3 }, { hang: true }, { status: 429, retryAfter: { date: '+30s' } }, { status: 502, html: true }];
    for (const act of acts) expect(validate({ rules: [{ act }] }), JSON.stringify(act)).toBe(true);
    const refused: unknown[] = [
      { rules: [{ act: {} }] },
      { rules: [{ act: { status: 500, reset: 'mid-body' } }] },
      { rules: [{ act: { hang: true, delay: 1 } }] },
      { rules: [{ act: { retryAfter: 1 } }] },
      { rules: [{ act: { status: 99 } }] },
      { rules: [{ act: { status: 502, html: true, contentType: 'text/html' } }] },
      { rules: [{ act: { hang: false } }] },
      { rules: [{ act: { truncate: false } }] },
      { rules: [{ act: STATUS, match: { nth: 1, every: 2 } }] },
      { rules: [{ act: STATUS, match: { method: 'get' } }] },
      { rules: [{ act: STATUS, match: { from: '40m' } }] },
      { rules: [{ act: STATUS, match: { path: 'Users' } }] },
      { rules: [{ act: STATUS, match: { query: { filter: 3 } } }] },
      { rules: [{ act: STATUS, mach: {} }] },
      { rules: [], seed: 1.5 },
      { rules: [{ act: STATUS, name: 'café' }] },
    ];
    for (const set of refused) {
      expect(validate(set), JSON.stringify(set)).toBe(false);
      expect(() => checkFaultSet(set), JSON.stringify(set)).toThrow(FaultSetError);
    }
  });
});
