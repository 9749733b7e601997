import { describe, expect, it } from 'vitest';
import { ScimError } from '../../../scim/errors.js';
import type { Filter } from '../../../scim/filter/types.js';
import { formatAttrPath, formatPatchPath, parseAttrPath, parsePatchPath } from '../../../scim/path/parse.js';
import type { AttrPath, PatchPath } from '../../../scim/path/types.js';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const CORE_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';

const eq = (attr: string, value: string): Filter => ({ kind: 'compare', op: 'eq', path: { attr }, value });

function pathError(fn: () => unknown): ScimError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ScimError);
    expect((error as ScimError).status).toBe(400);
    expect((error as ScimError).scimType).toBe('invalidPath');
    return error as ScimError;
  }
  throw new Error('expected a ScimError');
}

describe('parseAttrPath', () => {
  const valid: [string, AttrPath][] = [
    ['userName', { attr: 'userName' }],
    ['name.familyName', { attr: 'name', subAttr: 'familyName' }],
    ['members.$ref', { attr: 'members', subAttr: '$ref' }],
    ['$ref', { attr: '$ref' }],
    ['x509Certificates', { attr: 'x509Certificates' }],
    ['my-attr_2', { attr: 'my-attr_2' }],
    [`${CORE_USER}:userName`, { uri: CORE_USER, attr: 'userName' }],
    [`${ENTERPRISE}:manager.value`, { uri: ENTERPRISE, attr: 'manager', subAttr: 'value' }],
    [`${ENTERPRISE}:employeeNumber`, { uri: ENTERPRISE, attr: 'employeeNumber' }],
    [ENTERPRISE, { uri: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0', attr: 'User' }],
    ['urn:example:params:scim:schemas:extension:Custom:1.0:User:badge-id', { uri: 'urn:example:params:scim:schemas:extension:Custom:1.0:User', attr: 'badge-id' }],
    ['  title ', { attr: 'title' }],
  ];

  it.each(valid)('%s', (text, expected) => {
    expect(parseAttrPath(text)).toStrictEqual(expected);
    expect(parseAttrPath(formatAttrPath(expected))).toStrictEqual(expected);
  });

  const invalid: [string, RegExp][] = [
    ['', /The path is empty at position 1/],
    ['   ', /The path is empty at position 1/],
    ['1abc', /Invalid number "1abc" .* at position 1/],
    ['_name', /Attribute name "_name" must start with a letter at position 1/],
    ['name.', /Expected an attribute name at position 6/],
    ['.name', /^Expected an attribute name at position 1$/],
    ['name.givenName.x', /Only one sub-attribute may follow "name" .* at position 15/],
    ['name givenName', /Expected the end of the path at position 6, found "givenName"/],
    ['user#Name', /Unexpected character "#" at position 5/],
    ['a$b', /Invalid character "\$" in attribute name "a\$b" at position 2/],
    [`${ENTERPRISE}:`, /Expected an attribute name at position 60/],
    [':userName', /Expected a schema URI before ":" at position 1/],
    ['emails[type eq "work"]', /Expected the end of the path at position 7, found "\["/],
    ['"userName"', /Expected an attribute path at position 1, found "userName"/],
  ];

  it.each(invalid)('refuses %j', (text, detail) => {
    expect(pathError(() => parseAttrPath(text)).detail).toMatch(detail);
  });

  it('refuses a non-string with a ScimError', () => {
    pathError(() => parseAttrPath(7 as unknown as string));
  });
});

describe('parsePatchPath: the paths of RFC 7644 §3.5.2', () => {
  const valid: [string, PatchPath][] = [
    ['members', { attr: { attr: 'members' } }],
    ['name.familyName', { attr: { attr: 'name', subAttr: 'familyName' } }],
    ['members[value eq "2819c223-7f76-453a-919d-413861904646"]', { attr: { attr: 'members' }, valueFilter: eq('value', '2819c223-7f76-453a-919d-413861904646') }],
    ['emails[type eq "work"].value', { attr: { attr: 'emails' }, valueFilter: eq('type', 'work'), subAttr: 'value' }],
    ['addresses[type eq "work"].formatted', { attr: { attr: 'addresses' }, valueFilter: eq('type', 'work'), subAttr: 'formatted' }],
    ['addresses[type eq "work"].streetAddress', { attr: { attr: 'addresses' }, valueFilter: eq('type', 'work'), subAttr: 'streetAddress' }],
    [
      'emails[type eq "work" and value ew "example.com"]',
      {
        attr: { attr: 'emails' },
        valueFilter: { kind: 'and', left: eq('type', 'work'), right: { kind: 'compare', op: 'ew', path: { attr: 'value' }, value: 'example.com' } },
      },
    ],
    ['members[value eq "x"].$ref', { attr: { attr: 'members' }, valueFilter: eq('value', 'x'), subAttr: '$ref' }],
    [`${ENTERPRISE}:manager`, { attr: { uri: ENTERPRISE, attr: 'manager' } }],
    [`${ENTERPRISE}:manager.value`, { attr: { uri: ENTERPRISE, attr: 'manager', subAttr: 'value' } }],
    [ENTERPRISE, { attr: { uri: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0', attr: 'User' } }],
    [`${ENTERPRISE}:manager[value eq "x"]`, { attr: { uri: ENTERPRISE, attr: 'manager' }, valueFilter: eq('value', 'x') }],
    [`${CORE_USER}:emails[type eq "work"].value`, { attr: { uri: CORE_USER, attr: 'emails' }, valueFilter: eq('type', 'work'), subAttr: 'value' }],
    ['roles[primary eq True]', { attr: { attr: 'roles' }, valueFilter: { kind: 'compare', op: 'eq', path: { attr: 'primary' }, value: true } }],
    ['members[value EQ "x"]', { attr: { attr: 'members' }, valueFilter: eq('value', 'x') }],
    ['emails[not (type eq "work")]', { attr: { attr: 'emails' }, valueFilter: { kind: 'not', filter: eq('type', 'work') } }],
  ];

  it.each(valid)('%s', (text, expected) => {
    expect(parsePatchPath(text)).toStrictEqual(expected);
  });

  it.each(valid)('formats %s and parses it back', (text, expected) => {
    expect(parsePatchPath(formatPatchPath(parsePatchPath(text)))).toStrictEqual(expected);
  });

  it('formats canonically', () => {
    expect(formatPatchPath(parsePatchPath('emails[type EQ "work"].value'))).toBe('emails[type eq "work"].value');
    expect(formatPatchPath(parsePatchPath(`${ENTERPRISE}:manager`))).toBe(`${ENTERPRISE}:manager`);
  });

  const invalid: [string, RegExp][] = [
    ['', /The path is empty at position 1/],
    ['emails[type eq "work"', /Expected "and", "or" or "]" at position 22, found the end of the path; the "\[" at position 7 is not closed/],
    ['emails[]', /Expected an attribute path.* at position 8, found "]"/],
    ['emails[type eq]', /Expected a value .* after "eq" at position 15, found "]"/],
    ['emails[type eq "work"]value', /Expected the end of the path at position 23, found "value"/],
    ['emails[type eq "work"].value.display', /Invalid character "\." in attribute name "value\.display" at position 29/],
    ['emails[type eq "work"].', /Expected an attribute name at position 24/],
    ['emails[type eq "work"][primary eq true]', /Expected the end of the path at position 23, found "\["/],
    ['emails]', /Unexpected "]" with no matching "\[" at position 7/],
    ['emails[type eq "work"]]', /Unexpected "]" with no matching "\[" at position 23/],
    ['name.familyName[value eq "x"]', /not of the sub-attribute "name\.familyName" at position 16/],
    ['emails[type[value eq "x"]]', /cannot contain another one at position 12/],
    ['emails[name.x eq "y"]', /Inside "\[\.\.\.\]" name a sub-attribute/],
    ['emails[type eq "work" or]', /Expected an attribute path.* after "or" at position 25, found "]"/],
    ['emails[type eq work]', /Expected a value .* at position 16, found "work"/],
    ['members[value eq "x', /Unterminated string starting at position 18/],
    ['members value', /Expected the end of the path at position 9, found "value"/],
    ['name.familyName extra', /Expected the end of the path at position 17, found "extra"/],
    ['(name)', /Expected an attribute path at position 1, found "\("/],
    ['a.b.c', /Only one sub-attribute may follow "a" .* at position 4/],
  ];

  it.each(invalid)('refuses %j', (text, detail) => {
    expect(pathError(() => parsePatchPath(text)).detail).toMatch(detail);
  });

  it('refuses deep nesting and huge paths with invalidPath', () => {
    expect(pathError(() => parsePatchPath(`emails[${'('.repeat(10_000)}type pr${')'.repeat(10_000)}]`)).detail).toMatch(/at position \d+$/);
    expect(pathError(() => parsePatchPath(`emails[${'('.repeat(100)}type pr${')'.repeat(100)}]`)).detail).toMatch(/nests more than 64 levels deep at position 71$/);
    expect(pathError(() => parsePatchPath('a'.repeat(1 << 20))).detail).toMatch(/more than the 16384 allowed at position 16385$/);
  });

  it('refuses a non-string with a ScimError', () => {
    pathError(() => parsePatchPath(null as unknown as string));
  });
});
