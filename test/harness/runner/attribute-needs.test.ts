import { describe, expect, it } from 'vitest';
import { attributeNeeds, showNeed, undeclaredNeeds } from '../../../harness/runner/attribute-needs.js';
import type { RequestStep, Scenario, Step } from '../../../harness/types.js';

const at = { file: 'x.yaml', line: 1, column: 1 };
const request = (method: string, path: string, rest: Partial<RequestStep> = {}): Step => ({ kind: 'request', request: { method, path, ...rest.request }, source: at, ...rest });
const scenario = (steps: Step[], extra: Partial<Scenario> = {}): Scenario =>
  ({ id: 's', title: 't', refs: ['RFC 7644 §3'], tags: [], requires: [], covers: [], idp: 'none', settings: {}, steps, source: at, ...extra }) as Scenario;
const shown = (s: Scenario) => attributeNeeds(s).map(showNeed).sort();

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

describe('the attributes a scenario needs', () => {
  it('reads POST and PUT bodies: attributes, sub-attributes and extension attributes; never the common ones', () => {
    const body = {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      externalId: 'e',
      userName: '{{unique.u}}',
      name: { givenName: 'Ada' },
      emails: [{ value: 'a@example.com', type: 'work' }],
      [ENTERPRISE]: { department: 'R&D', manager: { value: 'x' } },
    };
    expect(shown(scenario([request('POST', '/Users', { request: { method: 'POST', path: '/Users', body } })]))).toEqual([
      `User ${ENTERPRISE}:department`,
      `User ${ENTERPRISE}:manager`,
      `User ${ENTERPRISE}:manager.value`,
      'User.emails',
      'User.emails.type',
      'User.emails.value',
      'User.name',
      'User.name.givenName',
      'User.userName',
    ]);
  });

  it('reads PATCH paths, value filters and values, and a whole extension as the path', () => {
    const body = {
      Operations: [
        { op: 'replace', path: 'emails[type eq "work"].value', value: 'b@example.com' },
        { op: 'add', path: 'nickName', value: 'Babs' },
        { op: 'add', value: { title: 'Boss' } },
        { op: 'replace', path: ENTERPRISE, value: { costCenter: '7' } },
      ],
    };
    expect(shown(scenario([request('PATCH', '/Users/{{id}}', { request: { method: 'PATCH', path: '/Users/{{id}}', body } })]))).toEqual([
      `User ${ENTERPRISE}:costCenter`,
      'User.emails',
      'User.emails.type',
      'User.emails.value',
      'User.nickName',
      'User.title',
    ]);
  });

  it('reads filters, sortBy and projections, in the query and in a .search body', () => {
    const steps = [
      request('GET', '/Groups', { request: { method: 'GET', path: '/Groups', query: { filter: 'displayName eq "{{unique.g}}" and members[value eq "1"]', sortBy: 'displayName' } } }),
      request('POST', '/Users/.search', { request: { method: 'POST', path: '/Users/.search', body: { filter: 'title pr', attributes: ['nickName'] } } }),
    ];
    expect(shown(scenario(steps))).toEqual(['Group.displayName', 'Group.members', 'Group.members.value', 'User.nickName', 'User.title']);
  });

  it('ignores requests that expect to be refused: an unknown attribute there is what the step tests', () => {
    const refused = request('PATCH', '/Users/1', {
      request: { method: 'PATCH', path: '/Users/1', body: { Operations: [{ op: 'add', path: 'bogus', value: 1 }] } },
      expect: { status: 400 },
    });
    expect(shown(scenario([refused]))).toEqual([]);
  });

  it('reads the attributes an IdP scenario checks on the target, by the directory entry they belong to', () => {
    const expectStep: Step = { kind: 'expect', target: { ada: { 'name.familyName': { equals: 'L' } }, eng: { displayName: { equals: 'E' } } }, source: at };
    const s = scenario([expectStep], { idp: 'okta', directory: { users: { ada: {} }, groups: { eng: {} } } });
    expect(shown(s)).toEqual(['Group.displayName', 'User.name.familyName']);
  });
});

describe('which needs a target does not declare', () => {
  const declared = { User: ['username', 'displayname', 'emails', 'emails.value', 'emails.type', 'name'] };
  const needs = (paths: string[]) => paths.map((path) => ({ resource: 'User' as const, path, written: path }));

  it('finds attributes and sub-attributes missing from /Schemas; a type it says nothing of is assumed', () => {
    expect(undeclaredNeeds(needs(['username', 'nickname', 'emails.primary', 'name.givenname']), declared).map((n) => n.path)).toEqual(['nickname', 'emails.primary']);
    expect(undeclaredNeeds([{ resource: 'Group', path: 'members', written: 'members' }], declared)).toEqual([]);
  });

  it('tells extension attributes by their URN, not by the dots in it', () => {
    const withExtension = { User: [...declared.User, `${ENTERPRISE.toLowerCase()}:manager`] };
    const missing = undeclaredNeeds(needs([`${ENTERPRISE.toLowerCase()}:manager.value`, `${ENTERPRISE.toLowerCase()}:department`]), withExtension);
    expect(missing.map((n) => n.path)).toEqual([`${ENTERPRISE.toLowerCase()}:department`]);
  });
});
