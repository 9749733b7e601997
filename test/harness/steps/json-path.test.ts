import { describe, expect, it } from 'vitest';
import { BodyPathError, lastName, parseBodyPath, readPath } from '../../../harness/steps/json-path.js';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const body = {
  userName: 'ada',
  name: { familyName: 'Lovelace' },
  emails: [{ value: 'a@x' }, { value: 'b@x', primary: true }],
  [ENTERPRISE]: { employeeNumber: '42', manager: null },
  Resources: [{ id: '1' }],
};

describe('body paths', () => {
  it('parses names, indexes and quoted keys', () => {
    expect(parseBodyPath('name.familyName')).toEqual([{ key: 'name' }, { key: 'familyName' }]);
    expect(parseBodyPath('Resources[0].id')).toEqual([{ key: 'Resources' }, { index: 0 }, { key: 'id' }]);
    expect(parseBodyPath(`["${ENTERPRISE}"].employeeNumber`)).toEqual([{ key: ENTERPRISE }, { key: 'employeeNumber' }]);
    expect(parseBodyPath("['a.b']['c\\'d'][2]")).toEqual([{ key: 'a.b' }, { key: "c'd" }, { index: 2 }]);
    expect(parseBodyPath('$.id')).toEqual([{ key: 'id' }]);
    expect(parseBodyPath('$')).toEqual([]);
    expect(parseBodyPath('$[0]')).toEqual([{ index: 0 }]);
  });

  it('parses extension attributes written as SCIM writes them (RFC 7644 §3.10)', () => {
    expect(parseBodyPath(`${ENTERPRISE}:employeeNumber`)).toEqual([{ key: ENTERPRISE }, { key: 'employeeNumber' }]);
    expect(parseBodyPath(`$.${ENTERPRISE}:manager.value`)).toEqual([{ key: ENTERPRISE }, { key: 'manager' }, { key: 'value' }]);
    expect(parseBodyPath(`Resources[0].${ENTERPRISE}:emails[1].value`)).toEqual([{ key: 'Resources' }, { index: 0 }, { key: ENTERPRISE }, { key: 'emails' }, { index: 1 }, { key: 'value' }]);
    expect(readPath(body, `${ENTERPRISE.toLowerCase()}:EMPLOYEENUMBER`)).toEqual({ found: true, value: '42' });
  });

  it('refuses a bare schema URN, which names no attribute, pointing at the bracket form', () => {
    expect(() => parseBodyPath(ENTERPRISE)).toThrow(`'User' ends the schema URN, not an attribute: name one after it (${ENTERPRISE}:department), or write ["${ENTERPRISE}"] for the whole extension`);
  });

  it.each(['a..b', '.a', 'a.', 'a[x]', 'a[0', '["a"', 'a[0]b', '["a"]b', `${ENTERPRISE}:`, `${ENTERPRISE}:manager.`, `${ENTERPRISE}:a..b`, `a[0]${ENTERPRISE}:x`])('rejects %s with its position', (path) => {
    expect(() => parseBodyPath(path)).toThrow(BodyPathError);
    expect(() => parseBodyPath(path)).toThrow(/is malformed at character \d+/);
  });

  it('reads values, ignoring the case of names', () => {
    expect(readPath(body, 'USERNAME')).toEqual({ found: true, value: 'ada' });
    expect(readPath(body, 'name.FamilyName')).toEqual({ found: true, value: 'Lovelace' });
    expect(readPath(body, 'emails[1].primary')).toEqual({ found: true, value: true });
    expect(readPath(body, `["${ENTERPRISE.toLowerCase()}"].employeeNumber`)).toEqual({ found: true, value: '42' });
    expect(readPath(body, `["${ENTERPRISE}"].manager`)).toEqual({ found: true, value: null });
    expect(readPath(body, 'Resources')).toEqual({ found: true, value: [{ id: '1' }] });
  });

  it('reports absence without guessing', () => {
    expect(readPath(body, 'nickName')).toEqual({ found: false });
    expect(readPath(body, 'emails[2].value')).toEqual({ found: false });
    expect(readPath(body, 'emails.value')).toEqual({ found: false });
    expect(readPath(body, 'userName[0]')).toEqual({ found: false });
    expect(readPath('text', 'a')).toEqual({ found: false });
  });

  it('names the last attribute of a path', () => {
    expect(lastName(parseBodyPath('a.password'))).toBe('password');
    expect(lastName(parseBodyPath('a[0]'))).toBeUndefined();
  });
});
