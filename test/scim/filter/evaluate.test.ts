import { describe, expect, it } from 'vitest';
import { ScimError } from '../../../scim/errors.js';
import { matchesFilter, matchesValueFilter } from '../../../scim/filter/evaluate.js';
import { MAX_FILTER_CONDITIONS, parseFilter } from '../../../scim/filter/parse.js';
import { defineAttribute } from '../../../scim/schema/common.js';
import { groupModel, userModel } from '../../../scim/schema/index.js';
import { cloneJson } from '../../../scim/schema/keys.js';
import { ResourceModel } from '../../../scim/schema/model.js';
import type { ScimResource } from '../../../scim/schema/types.js';
import { RFC7643_ENTERPRISE_USER, RFC7643_FULL_USER, RFC7643_GROUP, RFC7643_MINIMAL_USER } from '../../fixtures/rfc7643-examples.js';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const CORE_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';

/** A copy of `base` changed by `edit`, which may mutate it. */
function variant(base: ScimResource, edit: (user: ScimResource) => void): ScimResource {
  const copy = cloneJson(base);
  edit(copy);
  return copy;
}

/** Evaluates with the RFC 7643 User model unless told otherwise; 'none' evaluates without a model. */
const matches = (filter: string, resource: ScimResource, model: ResourceModel | 'none' = userModel): boolean =>
  matchesFilter(parseFilter(filter), resource, model === 'none' ? undefined : model);

function filterError(fn: () => unknown): ScimError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ScimError);
    expect((error as ScimError).status).toBe(400);
    expect((error as ScimError).scimType).toBe('invalidFilter');
    return error as ScimError;
  }
  throw new Error('expected a ScimError');
}

const full = RFC7643_FULL_USER;
const enterprise = RFC7643_ENTERPRISE_USER;
const minimal = RFC7643_MINIMAL_USER;
const withUserName = (userName: string): ScimResource => variant(full, (u) => (u.userName = userName));
const omalley = variant(full, (u) => ((u.name as ScimResource).familyName = "O'Malley"));
const noTitle = variant(full, (u) => delete u.title);
const intern = variant(noTitle, (u) => (u.userType = 'Intern'));
const contractor = variant(full, (u) => {
  u.userType = 'Contractor';
  u.emails = [{ value: 'babs@other.net', type: 'work' }];
});
const modifiedLater = variant(full, (u) => ((u.meta as ScimResource).lastModified = '2012-01-01T00:00:00Z'));
const workMailElsewhere = variant(full, (u) => (u.emails = [{ value: 'babs@example.org', type: 'work' }, { value: 'bjensen@example.com', type: 'home' }]));
const xmppAtFoo = variant(workMailElsewhere, (u) => (u.ims = [{ value: 'babs@foo.com', type: 'xmpp' }]));

/** Every filter example of RFC 7644 §3.4.2.2, with resources it must and must not match. */
const RFC_EXAMPLES: { filter: string; match: [string, ScimResource][]; miss: [string, ScimResource][] }[] = [
  { filter: 'userName Eq "john"', match: [['userName john', withUserName('john')], ['userName JOHN', withUserName('JOHN')]], miss: [['§8.2', full]] },
  { filter: 'Username eq "john"', match: [['userName John', withUserName('John')]], miss: [['§8.2', full]] },
  { filter: 'userName eq "bjensen"', match: [['userName bjensen', withUserName('bjensen')]], miss: [['§8.2', full]] },
  { filter: 'userName eq "BJensen@Example.com"', match: [['§8.2', full]], miss: [['userName bjensen', withUserName('bjensen')]] },
  { filter: `name.familyName co "O'Malley"`, match: [["familyName O'Malley", omalley]], miss: [['§8.2', full], ['§8.1 (no name)', minimal]] },
  { filter: 'userName sw "J"', match: [['userName jsmith', withUserName('jsmith')]], miss: [['§8.2', full]] },
  { filter: `${CORE_USER}:userName sw "J"`, match: [['userName jsmith', withUserName('jsmith')]], miss: [['§8.2', full]] },
  { filter: `${CORE_USER}:userName sw "bjensen@"`, match: [['§8.2', full]], miss: [['userName jsmith', withUserName('jsmith')]] },
  { filter: 'title pr', match: [['§8.2', full]], miss: [['§8.1', minimal], ['no title', noTitle]] },
  { filter: 'meta.lastModified gt "2011-05-13T04:42:34Z"', match: [['modified later', modifiedLater]], miss: [['§8.2', full]] },
  { filter: 'meta.lastModified ge "2011-05-13T04:42:34Z"', match: [['§8.2', full], ['modified later', modifiedLater]], miss: [] },
  { filter: 'meta.lastModified lt "2011-05-13T04:42:34Z"', match: [], miss: [['§8.2', full], ['modified later', modifiedLater]] },
  { filter: 'meta.lastModified le "2011-05-13T04:42:34Z"', match: [['§8.2', full]], miss: [['modified later', modifiedLater]] },
  { filter: 'title pr and userType eq "Employee"', match: [['§8.2', full]], miss: [['§8.1', minimal], ['no title', noTitle]] },
  { filter: 'title pr or userType eq "Intern"', match: [['§8.2', full], ['intern without title', intern]], miss: [['§8.1', minimal], ['no title', noTitle]] },
  { filter: `schemas eq "${ENTERPRISE}"`, match: [['§8.3', enterprise]], miss: [['§8.2', full]] },
  {
    filter: 'userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")',
    match: [['§8.2', full], ['work mail at example.org', workMailElsewhere]],
    miss: [['contractor', contractor], ['§8.1', minimal]],
  },
  {
    filter: 'userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")',
    match: [['contractor at other.net', contractor]],
    miss: [['§8.2', full], ['§8.1 (no userType)', minimal]],
  },
  { filter: 'userType eq "Employee" and (emails.type eq "work")', match: [['§8.2', full]], miss: [['intern', intern], ['§8.1', minimal]] },
  {
    filter: 'userType eq "Employee" and emails[type eq "work" and value co "@example.com"]',
    match: [['§8.2', full], ['§8.3', enterprise]],
    miss: [['work mail elsewhere', workMailElsewhere], ['§8.1', minimal]],
  },
  {
    filter: 'emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]',
    match: [['§8.2', full], ['xmpp at foo.com', xmppAtFoo]],
    miss: [['work mail elsewhere, aim only', workMailElsewhere], ['§8.1', minimal]],
  },
];

describe('matchesFilter: RFC 7644 §3.4.2.2 examples against the RFC 7643 §8 resources', () => {
  const cases = RFC_EXAMPLES.flatMap(({ filter, match, miss }) => [
    ...match.map(([name, resource]) => [filter, name, resource, true] as const),
    ...miss.map(([name, resource]) => [filter, name, resource, false] as const),
  ]);

  it.each(cases)('%s on %s → %s (User model)', (filter, _name, resource, expected) => {
    expect(matches(filter, resource, userModel)).toBe(expected);
  });

  it.each(cases)('%s on %s → %s (no model)', (filter, _name, resource, expected) => {
    expect(matches(filter, resource, 'none')).toBe(expected);
  });
});

describe('matchesFilter: attributes and values', () => {
  it('reads attribute names case-insensitively, in the filter and in the resource', () => {
    expect(matches('USERNAME eq "bjensen@example.com"', full)).toBe(true);
    expect(matches('username eq "x"', { UserName: 'X' })).toBe(true);
    expect(matches('NAME.FAMILYNAME eq "jensen"', full)).toBe(true);
  });

  it('honours caseExact: id and externalId are case-exact', () => {
    for (const model of [userModel, 'none'] as const) {
      expect(matches('id eq "2819c223-7f76-453a-919d-413861904646"', full, model)).toBe(true);
      expect(matches('id eq "2819C223-7F76-453A-919D-413861904646"', full, model)).toBe(false);
      expect(matches('id sw "2819C223"', full, model)).toBe(false);
      expect(matches('externalId eq "701984"', full, model)).toBe(true);
      expect(matches('meta.resourceType eq "user"', full, model)).toBe(false);
      expect(matches('meta.resourceType eq "User"', full, model)).toBe(true);
    }
  });

  it('compares case-insensitively when caseExact is false', () => {
    expect(matches('displayName eq "BABS JENSEN"', full)).toBe(true);
    expect(matches('emails[type eq "WORK"]', full)).toBe(true);
    expect(matches('title ew "GUIDE"', full)).toBe(true);
    expect(matches('title co "UR GU"', full)).toBe(true);
  });

  it('matches schemas, a multi-valued list of URIs, case-insensitively', () => {
    expect(matches(`schemas eq "${CORE_USER}"`, enterprise)).toBe(true);
    expect(matches(`schemas eq "${ENTERPRISE.toUpperCase()}"`, enterprise)).toBe(true);
    expect(matches(`schemas eq "${ENTERPRISE}"`, full)).toBe(false);
    expect(matches('schemas sw "urn:ietf:params:scim:schemas:core"', full)).toBe(true);
    expect(matches('schemas pr', full)).toBe(true);
    expect(matches('schemas eq "urn:ietf:params:scim:schemas:core:2.0:Group"', RFC7643_GROUP, groupModel)).toBe(true);
  });

  it('reads extension attributes by URN', () => {
    for (const model of [userModel, 'none'] as const) {
      expect(matches(`${ENTERPRISE}:employeeNumber eq "701984"`, enterprise, model)).toBe(true);
      expect(matches(`${ENTERPRISE}:employeeNumber eq "701984"`, full, model)).toBe(false);
      expect(matches(`${ENTERPRISE}:manager.value eq "26118915-6090-4610-87e4-49d8ca9f808d"`, enterprise, model)).toBe(true);
      expect(matches(`${ENTERPRISE}:manager.displayName sw "john"`, enterprise, model)).toBe(true);
      expect(matches(`${ENTERPRISE}:department co "operations" and ${ENTERPRISE}:costCenter eq "4130"`, enterprise, model)).toBe(true);
      expect(matches(`${ENTERPRISE} pr`, enterprise, model)).toBe(true);
      expect(matches(`${ENTERPRISE} pr`, full, model)).toBe(false);
    }
  });

  it('does not read an extension attribute from the top level of the resource', () => {
    const misplaced = variant(full, (u) => (u.employeeNumber = '701984'));
    expect(matches(`${ENTERPRISE}:employeeNumber eq "701984"`, misplaced, userModel)).toBe(false);
  });

  it('compares a complex attribute named without a sub-attribute through its "value"', () => {
    expect(matches('emails eq "babs@jensen.org"', full)).toBe(true);
    expect(matches('emails co "example.com"', full)).toBe(true);
    expect(matches('groups eq "fc348aa8-3835-40eb-a20b-c726e15c55b5"', full)).toBe(true);
    expect(matches(`${ENTERPRISE}:manager eq "26118915-6090-4610-87e4-49d8ca9f808d"`, enterprise)).toBe(true);
    expect(matches('name eq "Jensen"', full)).toBe(false);
    expect(matches('members eq "902c246b-6245-4190-8e05-00816be7344a"', RFC7643_GROUP, groupModel)).toBe(true);
  });

  it('matches a multi-valued attribute when any value matches', () => {
    expect(matches('emails.type eq "home"', full)).toBe(true);
    expect(matches('emails.type eq "other"', full)).toBe(false);
    expect(matches('emails.type ne "work"', full)).toBe(true);
    expect(matches('phoneNumbers.value ew "4444"', full)).toBe(true);
    expect(matches('addresses.postalCode eq "91608" and addresses.type eq "home"', full)).toBe(true);
    expect(matches('groups.display eq "US Employees"', full)).toBe(true);
    expect(matches('groups.$ref co "fc348aa8"', full)).toBe(true);
  });

  it('evaluates value filters against one element at a time', () => {
    expect(matches('emails[type eq "work" and value eq "babs@jensen.org"]', full)).toBe(false);
    expect(matches('emails[type eq "home" and value eq "babs@jensen.org"]', full)).toBe(true);
    expect(matches('emails[primary eq true]', full)).toBe(true);
    expect(matches('emails[type eq "home" and primary eq true]', full)).toBe(false);
    expect(matches('emails[not (primary pr)]', full)).toBe(true);
    expect(matches('addresses[type eq "work"] and addresses[type eq "home"]', full)).toBe(true);
    expect(matches('members[display sw "mandy"]', RFC7643_GROUP, groupModel)).toBe(true);
    expect(matches(`${ENTERPRISE}:manager[displayName eq "John Smith"]`, enterprise)).toBe(true);
  });

  it('reads `attr[filter].sub op value` as an element matching both', () => {
    expect(matches('emails[type eq "work"].value eq "bjensen@example.com"', full)).toBe(true);
    expect(matches('emails[type eq "work"].value eq "babs@jensen.org"', full)).toBe(false);
    expect(matches('addresses[type eq "work"].formatted co "Universal"', full)).toBe(true);
  });

  it('evaluates not', () => {
    expect(matches('not (userType eq "Employee")', full)).toBe(false);
    expect(matches('not (title pr)', minimal)).toBe(true);
    expect(matches('not (not (title pr))', full)).toBe(true);
  });
});

describe('matchesFilter: pr and null', () => {
  const blank = (value: unknown): ScimResource => ({ userName: 'u', nickName: value, emails: value, name: value });

  it('is false for absent, null, "", [] and objects without a present value', () => {
    for (const value of [undefined, null, '', [], [null], [''], {}, { givenName: null }, { givenName: '' }, [{}], [{ value: null }]]) {
      for (const attr of ['nickName', 'emails', 'name']) expect(matches(`${attr} pr`, blank(value), 'none'), `${attr}: ${JSON.stringify(value)}`).toBe(false);
    }
  });

  it('is true for present values, false included', () => {
    expect(matches('active pr', variant(minimal, (u) => (u.active = false)))).toBe(true);
    expect(matches('emails pr', full)).toBe(true);
    expect(matches('emails.primary pr', full)).toBe(true);
    expect(matches('name pr', { name: { givenName: null, familyName: 'X' } })).toBe(true);
    expect(matches('x pr', { x: 0 }, 'none')).toBe(true);
  });

  it('reads eq null as "not present" and ne null as "present"', () => {
    expect(matches('title eq null', minimal)).toBe(true);
    expect(matches('title eq null', full)).toBe(false);
    expect(matches('title ne null', full)).toBe(true);
    expect(matches('title ne null', minimal)).toBe(false);
    expect(matches('nickName eq null', { nickName: '' })).toBe(true);
    expect(matches('emails.primary eq null', full)).toBe(false);
    expect(matches('emails[primary eq null]', full)).toBe(true);
  });

  it('does not match any other comparison on an absent attribute, ne included', () => {
    expect(matches('title ne "Tour Guide"', minimal)).toBe(false);
    expect(matches('title eq "Tour Guide"', minimal)).toBe(false);
    expect(matches('not (title eq "Tour Guide")', minimal)).toBe(true);
  });
});

describe('matchesFilter: typed comparisons', () => {
  const TEST_URN = 'urn:example:params:scim:schemas:core:2.0:Device';
  const model = new ResourceModel(
    { id: 'Device', name: 'Device', endpoint: '/Devices', description: 'Device', schema: TEST_URN, schemaExtensions: [] },
    [
      {
        id: TEST_URN,
        name: 'Device',
        description: 'Device',
        attributes: [
          defineAttribute('serial', { caseExact: true }),
          defineAttribute('label', {}),
          defineAttribute('logins', { type: 'integer' }),
          defineAttribute('ratio', { type: 'decimal' }),
          defineAttribute('enabled', { type: 'boolean' }),
          defineAttribute('seen', { type: 'dateTime' }),
          defineAttribute('blob', { type: 'binary', caseExact: true }),
          defineAttribute('readings', { type: 'decimal', multiValued: true }),
          defineAttribute('tags', { multiValued: true }),
          defineAttribute('ports', {
            type: 'complex',
            multiValued: true,
            subAttributes: [defineAttribute('value', { type: 'integer' }), defineAttribute('name', { caseExact: true })],
          }),
        ],
      },
    ],
  );
  const device: ScimResource = {
    schemas: [TEST_URN],
    id: 'd1',
    serial: 'AbC-123',
    label: 'Lab Printer',
    logins: 42,
    ratio: 0.75,
    enabled: false,
    seen: '2024-03-01T10:00:00.500+01:00',
    blob: 'QUJD',
    readings: [1.5, 2.5, 10],
    tags: ['Blue', 'green'],
    ports: [
      { value: 80, name: 'HTTP' },
      { value: 443, name: 'HTTPS' },
    ],
  };
  const on = (filter: string, resource: ScimResource = device): boolean => matchesFilter(parseFilter(filter), resource, model);

  it('compares numbers numerically', () => {
    expect(on('logins eq 42')).toBe(true);
    expect(on('logins eq 42.0')).toBe(true);
    expect(on('logins gt 9')).toBe(true);
    expect(on('logins lt 100')).toBe(true);
    expect(on('logins ge 42 and logins le 42')).toBe(true);
    expect(on('logins ne 42')).toBe(false);
    expect(on('ratio gt 0.5 and ratio lt 7.5e-1')).toBe(false);
    expect(on('ratio ge 7.5e-1')).toBe(true);
    expect(on('readings gt 9.99')).toBe(true);
    expect(on('readings lt 1')).toBe(false);
    expect(on('ports gt 400 and ports lt 500')).toBe(true);
    expect(on('ports[value eq 80 and name eq "HTTP"]')).toBe(true);
  });

  it('never matches across JSON types', () => {
    expect(on('logins eq "42"')).toBe(false);
    expect(on('logins ne "42"')).toBe(false);
    expect(on('label eq 42')).toBe(false);
    expect(on('enabled eq "false"')).toBe(false);
    expect(on('serial eq true')).toBe(false);
  });

  it('compares booleans with eq and ne', () => {
    expect(on('enabled eq false')).toBe(true);
    expect(on('enabled ne true')).toBe(true);
    expect(on('enabled eq true')).toBe(false);
  });

  it('compares strings by caseExact, lexicographically for gt/lt/ge/le', () => {
    expect(on('serial eq "AbC-123"')).toBe(true);
    expect(on('serial eq "abc-123"')).toBe(false);
    expect(on('label eq "lab printer"')).toBe(true);
    expect(on('label gt "lab"')).toBe(true);
    expect(on('label lt "LAC"')).toBe(true);
    expect(on('label ge "LAB PRINTER" and label le "lab printer"')).toBe(true);
    expect(on('serial gt "abc"')).toBe(false);
    expect(on('tags eq "blue"')).toBe(true);
    expect(on('ports.name eq "https"')).toBe(false);
    expect(on('ports.name eq "HTTPS"')).toBe(true);
  });

  it('compares dateTime attributes as instants', () => {
    expect(on('seen eq "2024-03-01T09:00:00.5Z"')).toBe(true);
    expect(on('seen gt "2024-03-01T09:00:00Z"')).toBe(true);
    expect(on('seen lt "2024-03-01T09:00:00.501Z"')).toBe(true);
    expect(on('seen gt "2024-03-01T09:30:00"')).toBe(false);
    expect(on('seen ge "2024-03-01T05:00:00.5-04:00"')).toBe(true);
    expect(on('seen le "2024-03-01T05:00:00.5-04:00"')).toBe(true);
    expect(on('seen sw "2024-03-01T10"')).toBe(true);
    expect(matches('meta.lastModified eq "2011-05-13T06:42:34+02:00"', full)).toBe(true);
    expect(matches('meta.created lt "2011-05-13T04:42:34Z"', full, 'none')).toBe(true);
  });

  it('falls back to string order when a dateTime does not parse', () => {
    expect(on('seen gt "2024"')).toBe(true);
    expect(on('seen lt "yesterday"')).toBe(true);
    expect(on('seen gt "x"', { ...device, seen: 'not a date' })).toBe(false);
    expect(on('seen eq "NOT A DATE"', { ...device, seen: 'not a date' })).toBe(true);
  });

  it('refuses gt/lt/ge/le on boolean and binary attributes with invalidFilter', () => {
    expect(filterError(() => on('enabled gt "a"')).detail).toBe('The "gt" operator cannot compare the boolean attribute "enabled"');
    expect(filterError(() => on('blob le "QUJD"')).detail).toBe('The "le" operator cannot compare the binary attribute "blob"');
    expect(filterError(() => matches('active ge "a"', full)).detail).toMatch(/boolean attribute "active"/);
    expect(filterError(() => matches('x509Certificates.value lt "M"', full)).detail).toMatch(/binary attribute "x509Certificates.value"/);
    expect(filterError(() => matches('emails.primary gt "a"', minimal)).detail).toMatch(/boolean/);
    expect(on('blob eq "QUJD"')).toBe(true);
  });

  it('matches nothing for paths the model does not know', () => {
    expect(on('unknown pr')).toBe(false);
    expect(on('unknown eq null')).toBe(false);
    expect(on('not (unknown eq "x")')).toBe(true);
    expect(on('label.sub pr')).toBe(false);
    expect(on('urn:other:2.0:Device:label pr')).toBe(false);
    expect(on(`${TEST_URN}:label pr`)).toBe(true);
    expect(matches('nosuch[value eq "x"]', full)).toBe(false);
  });

  it('reads attributes a model lacks when there is no model', () => {
    expect(matchesFilter(parseFilter('custom eq "X"'), { custom: 'x' })).toBe(true);
    expect(matchesFilter(parseFilter('custom eq null'), {})).toBe(true);
    expect(matchesFilter(parseFilter('n gt 1 and flag eq true'), { n: 2, flag: true })).toBe(true);
  });
});

describe('matchesValueFilter', () => {
  const emails = userModel.resolve({ attr: 'emails' })!.attribute;
  const members = groupModel.resolve({ attr: 'members' })!.attribute;
  const work = { value: 'Bjensen@Example.com', type: 'work', primary: true };

  it('evaluates sub-attribute names against one element', () => {
    expect(matchesValueFilter(parseFilter('type eq "work"'), work, emails)).toBe(true);
    expect(matchesValueFilter(parseFilter('type eq "WORK" and value co "example.com"'), work, emails)).toBe(true);
    expect(matchesValueFilter(parseFilter('primary eq true'), work, emails)).toBe(true);
    expect(matchesValueFilter(parseFilter('type eq "home" or primary eq false'), work, emails)).toBe(false);
    expect(matchesValueFilter(parseFilter('display pr'), work, emails)).toBe(false);
  });

  it('works without a definition, case-insensitively', () => {
    expect(matchesValueFilter(parseFilter('TYPE eq "Work"'), work)).toBe(true);
    expect(matchesValueFilter(parseFilter('value eq "2819c223"'), { value: '2819c223' })).toBe(true);
  });

  it('uses the sub-attribute definitions it is given', () => {
    const caseExact = defineAttribute('members', {
      type: 'complex',
      multiValued: true,
      subAttributes: [defineAttribute('value', { caseExact: true })],
    });
    expect(matchesValueFilter(parseFilter('value eq "ABC"'), { value: 'abc' }, caseExact)).toBe(false);
    expect(matchesValueFilter(parseFilter('value eq "ABC"'), { value: 'abc' }, members)).toBe(true);
  });

  it('matches nothing on an element that is not an object, or through a URN', () => {
    expect(matchesValueFilter(parseFilter('value eq "x"'), 'x', emails)).toBe(false);
    expect(matchesValueFilter(parseFilter('value pr'), null, emails)).toBe(false);
    expect(matchesValueFilter({ kind: 'present', path: { uri: CORE_USER, attr: 'value' } }, work, emails)).toBe(false);
  });

  it('refuses ordering on a boolean sub-attribute', () => {
    expect(filterError(() => matchesValueFilter(parseFilter('primary gt "a"'), work, emails)).detail).toMatch(/boolean attribute "primary"/);
  });
});

describe('matchesFilter: robustness', () => {
  it('evaluates the longest chain the parser accepts', () => {
    const filter = parseFilter(Array.from({ length: MAX_FILTER_CONDITIONS }, (_, i) => `n eq ${i % 10}`).join(' or '));
    expect(matchesFilter(filter, { n: 5 })).toBe(true);
    expect(matchesFilter(filter, { n: -1 })).toBe(false);
  });

  it('ignores odd data instead of throwing', () => {
    const odd: ScimResource = { emails: 'not-a-list', name: ['x'], meta: 5, groups: [null, 3, { value: 7 }], schemas: 'urn:x' };
    for (const filter of ['emails.value eq "x"', 'emails co "not"', 'name.givenName pr', 'meta.lastModified gt "2011-01-01T00:00:00Z"', 'groups eq "7"', 'groups[value eq 7]', 'schemas eq "URN:X"']) {
      expect(() => matches(filter, odd)).not.toThrow();
    }
    expect(matches('emails co "not"', odd, 'none')).toBe(true);
    expect(matches('schemas eq "URN:X"', odd)).toBe(true);
  });
});
