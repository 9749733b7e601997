import { describe, expect, it } from 'vitest';
import type { Lookup } from '../../../harness/steps/json-path.js';
import { evaluateMatcher, showValue } from '../../../harness/steps/matchers.js';
import type { Matcher } from '../../../harness/types.js';

const found = (value: unknown): Lookup => ({ found: true, value });
const absent: Lookup = { found: false };
const check = (matcher: Matcher, lookup: Lookup, subject = 'userName') => evaluateMatcher(matcher, lookup, subject);

describe('equals', () => {
  it('compares scalars exactly, or ignoring case', () => {
    expect(check({ equals: 'ada@example.com' }, found('ada@example.com'))).toEqual({ passed: true, message: 'userName is "ada@example.com", as expected' });
    expect(check({ equals: 'ada@example.com' }, found('Ada@example.com'))).toEqual({
      passed: false,
      message: 'expected userName to equal "ada@example.com", got "Ada@example.com"',
    });
    expect(check({ equals: 'ada@example.com', ignoreCase: true }, found('Ada@example.com')).passed).toBe(true);
    expect(check({ equals: 1 }, found('1')).message).toBe('expected userName to equal 1, got "1"');
    expect(check({ equals: 'x' }, absent).message).toBe('expected userName to equal "x", but it is absent');
  });

  it('matches objects partially, names ignoring case, and points at the difference', () => {
    const name = found({ familyName: 'Lovelace', givenName: 'Ada' });
    expect(check({ equals: { FAMILYNAME: 'Lovelace' } }, name, 'name').passed).toBe(true);
    expect(check({ equals: { familyName: 'Byron' } }, name, 'name').message).toBe('expected name.familyName to equal "Byron", got "Lovelace"');
    expect(check({ equals: { middleName: 'K' } }, name, 'name').message).toBe('expected name.middleName to equal "K", but it is absent');
    expect(check({ equals: { familyName: 'x' } }, found('text'), 'name').message).toBe('expected name to equal {"familyName":"x"}, got "text"');
  });

  it('matches lists element for element', () => {
    const emails = found([{ value: 'a@x', type: 'work' }, { value: 'b@x' }]);
    expect(check({ equals: [{ value: 'a@x' }, { value: 'b@x' }] }, emails, 'emails').passed).toBe(true);
    expect(check({ equals: [{ value: 'b@x' }, { value: 'a@x' }] }, emails, 'emails').message).toBe('expected emails[0].value to equal "b@x", got "a@x"');
    expect(check({ equals: [{ value: 'a@x' }] }, emails, 'emails').message).toBe(
      'expected emails to have 1 elements, got 2: [{"value":"a@x","type":"work"},{"value":"b@x"}]',
    );
  });
});

describe('the other matchers', () => {
  it('contains: a substring, or a list element that deep-matches', () => {
    expect(check({ contains: 'lace' }, found('Lovelace')).passed).toBe(true);
    expect(check({ contains: 'LACE' }, found('Lovelace')).message).toBe('expected userName to contain "LACE", got "Lovelace"');
    expect(check({ contains: 'LACE', ignoreCase: true }, found('Lovelace')).passed).toBe(true);
    expect(check({ contains: { value: 'b@x' } }, found([{ value: 'a@x' }, { value: 'b@x', primary: true }]), 'emails').passed).toBe(true);
    expect(check({ contains: { value: 'c@x' } }, found([{ value: 'a@x' }]), 'emails').message).toBe(
      'expected emails to contain {"value":"c@x"}, got [{"value":"a@x"}]',
    );
    expect(check({ contains: 'a' }, found(42)).passed).toBe(false);
  });

  it('matches: a regular expression on a string', () => {
    expect(check({ matches: '/Users/[^/]+$' }, found('http://h/Users/1'), 'header location').passed).toBe(true);
    expect(check({ matches: '/Users/[^/]+$' }, absent, 'header location').message).toBe('expected header location to match //Users/[^/]+$/, but it is absent');
    expect(check({ matches: '^ada', ignoreCase: true }, found('ADA')).passed).toBe(true);
    expect(check({ matches: '1' }, found(1)).message).toBe('expected userName to match /1/, got 1');
    expect(check({ matches: '(' }, found('x')).message).toMatch(/^the pattern \/\(\/ for userName is not a valid regular expression/);
  });

  it('type: each JSON type, integers being numbers too', () => {
    const cases: Array<[Matcher['type'], unknown]> = [
      ['string', 's'],
      ['number', 1.5],
      ['number', 2],
      ['integer', 2],
      ['boolean', false],
      ['object', {}],
      ['array', []],
      ['null', null],
    ];
    for (const [type, value] of cases) expect(check({ type }, found(value)).passed, `${type} ${JSON.stringify(value)}`).toBe(true);
    expect(check({ type: 'integer' }, found(1.5)).message).toBe('expected userName to be an integer, got 1.5');
    expect(check({ type: 'object' }, found([])).message).toBe('expected userName to be an object, got []');
    expect(check({ type: 'string' }, absent).message).toBe('expected userName to be a string, but it is absent');
  });

  it('absent and present: null and an empty list count as absent (RFC 7643 §2.5)', () => {
    expect(check({ absent: true }, absent)).toEqual({ passed: true, message: 'userName is absent, as expected' });
    expect(check({ absent: true }, found(null)).passed).toBe(true);
    expect(check({ absent: true }, found([])).passed).toBe(true);
    expect(check({ absent: true }, found('x')).message).toBe('expected userName to be absent, got "x"');
    expect(check({ present: true }, found('x')).passed).toBe(true);
    expect(check({ present: true }, absent).message).toBe('expected userName to be present, but it is absent');
    expect(check({ present: false }, absent).passed).toBe(true);
  });

  it('length of a list or a string', () => {
    expect(check({ length: 2 }, found([1, 2]), 'Resources').passed).toBe(true);
    expect(check({ length: 3 }, found('abc')).passed).toBe(true);
    expect(check({ length: 1 }, found([1, 2]), 'Resources').message).toBe('expected Resources to have length 1, got length 2: [1,2]');
    expect(check({ length: 1 }, found(5)).message).toBe('expected userName to have length 1, got 5');
  });

  it('oneOf: any of the values', () => {
    expect(check({ oneOf: [200, 204] }, found(204)).passed).toBe(true);
    expect(check({ oneOf: ['a', 'b'], ignoreCase: true }, found('B')).passed).toBe(true);
    expect(check({ oneOf: ['a', 'b'] }, found('c')).message).toBe('expected userName to be one of ["a","b"], got "c"');
  });

  it('reports every failing key of one matcher', () => {
    expect(check({ type: 'string', length: 2 }, found(123)).message).toBe(
      'expected userName to be a string, got 123; expected userName to have length 2, got 123',
    );
  });

  it('shows values through the given function, and cuts long ones', () => {
    expect(evaluateMatcher({ absent: true }, found('secret'), 'password', () => '[redacted]').message).toBe(
      'expected password to be absent, got [redacted]',
    );
    expect(showValue('x'.repeat(300))).toHaveLength(201);
    expect(showValue(undefined)).toBe('nothing');
  });
});

describe('containsAll and not', () => {
  const found = (value: unknown) => ({ found: true as const, value });
  it('containsAll needs an element for each, in any order', () => {
    expect(evaluateMatcher({ containsAll: [{ id: 'b' }, { id: 'a' }] }, found([{ id: 'a' }, { id: 'b' }, { id: 'c' }]), 'ids').passed).toBe(true);
    const missing = evaluateMatcher({ containsAll: [{ id: 'a' }, { id: 'd' }] }, found([{ id: 'a' }]), 'ids');
    expect(missing.passed).toBe(false);
    expect(missing.message).toMatch(/contain \{"id":"d"\}/);
  });
  it('not inverts a matcher', () => {
    expect(evaluateMatcher({ not: { equals: 'x' } }, found('y'), 'v').passed).toBe(true);
    const same = evaluateMatcher({ not: { equals: 'x' } }, found('x'), 'v');
    expect(same.passed).toBe(false);
    expect(same.message).toMatch(/expected v not to satisfy/);
    expect(evaluateMatcher({ not: { contains: { value: 'u1' } } }, found([{ value: 'u2' }]), 'members').passed).toBe(true);
  });
});
