import { describe, expect, it } from 'vitest';
import { ScimError } from '../../../scim/errors.js';
import { MAX_FILTER_CONDITIONS, MAX_FILTER_DEPTH, MAX_FILTER_LENGTH, formatFilter, parseFilter } from '../../../scim/filter/parse.js';
import type { CompareOperator, Filter, FilterValue } from '../../../scim/filter/types.js';
import type { AttrPath } from '../../../scim/path/types.js';

const CORE_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE_USER = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/** `name` or `name.sub`, built by hand so the tests do not depend on the parser they test. */
function path(text: string, uri?: string): AttrPath {
  const [attr, subAttr] = text.split('.') as [string, string?];
  const built: AttrPath = { attr };
  if (uri !== undefined) built.uri = uri;
  if (subAttr !== undefined) built.subAttr = subAttr;
  return built;
}
const cmp = (p: string | AttrPath, op: CompareOperator, value: FilterValue): Filter => ({
  kind: 'compare',
  op,
  path: typeof p === 'string' ? path(p) : p,
  value,
});
const pr = (p: string): Filter => ({ kind: 'present', path: path(p) });
const and = (left: Filter, right: Filter): Filter => ({ kind: 'and', left, right });
const or = (left: Filter, right: Filter): Filter => ({ kind: 'or', left, right });
const not = (filter: Filter): Filter => ({ kind: 'not', filter });
const vp = (p: string, filter: Filter): Filter => ({ kind: 'valuePath', path: path(p), filter });

/** Runs `fn`, which must throw; returns what it threw. */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an exception');
}

function filterError(text: string): ScimError {
  const error = thrown(() => parseFilter(text));
  expect(error).toBeInstanceOf(ScimError);
  const scim = error as ScimError;
  expect(scim.status).toBe(400);
  expect(scim.scimType).toBe('invalidFilter');
  return scim;
}

describe('parseFilter: the examples of RFC 7644 §3.4.2.2', () => {
  const examples: [string, Filter][] = [
    ['userName Eq "john"', cmp('userName', 'eq', 'john')],
    ['Username eq "john"', cmp('Username', 'eq', 'john')],
    ['userName eq "bjensen"', cmp('userName', 'eq', 'bjensen')],
    [`name.familyName co "O'Malley"`, cmp('name.familyName', 'co', "O'Malley")],
    ['userName sw "J"', cmp('userName', 'sw', 'J')],
    [`${CORE_USER}:userName sw "J"`, cmp(path('userName', CORE_USER), 'sw', 'J')],
    ['title pr', pr('title')],
    ['meta.lastModified gt "2011-05-13T04:42:34Z"', cmp('meta.lastModified', 'gt', '2011-05-13T04:42:34Z')],
    ['meta.lastModified ge "2011-05-13T04:42:34Z"', cmp('meta.lastModified', 'ge', '2011-05-13T04:42:34Z')],
    ['meta.lastModified lt "2011-05-13T04:42:34Z"', cmp('meta.lastModified', 'lt', '2011-05-13T04:42:34Z')],
    ['meta.lastModified le "2011-05-13T04:42:34Z"', cmp('meta.lastModified', 'le', '2011-05-13T04:42:34Z')],
    ['title pr and userType eq "Employee"', and(pr('title'), cmp('userType', 'eq', 'Employee'))],
    ['title pr or userType eq "Intern"', or(pr('title'), cmp('userType', 'eq', 'Intern'))],
    [`\n schemas eq "${ENTERPRISE_USER}"`, cmp('schemas', 'eq', ENTERPRISE_USER)],
    [
      'userType eq "Employee" and (emails co "example.com" or\n  emails.value co "example.org")',
      and(cmp('userType', 'eq', 'Employee'), or(cmp('emails', 'co', 'example.com'), cmp('emails.value', 'co', 'example.org'))),
    ],
    [
      'userType ne "Employee" and not (emails co "example.com" or\n  emails.value co "example.org")',
      and(cmp('userType', 'ne', 'Employee'), not(or(cmp('emails', 'co', 'example.com'), cmp('emails.value', 'co', 'example.org')))),
    ],
    ['userType eq "Employee" and (emails.type eq "work")', and(cmp('userType', 'eq', 'Employee'), cmp('emails.type', 'eq', 'work'))],
    [
      'userType eq "Employee" and emails[type eq "work" and\n  value co "@example.com"]',
      and(cmp('userType', 'eq', 'Employee'), vp('emails', and(cmp('type', 'eq', 'work'), cmp('value', 'co', '@example.com')))),
    ],
    [
      'emails[type eq "work" and value co "@example.com"] or\n  ims[type eq "xmpp" and value co "@foo.com"]',
      or(
        vp('emails', and(cmp('type', 'eq', 'work'), cmp('value', 'co', '@example.com'))),
        vp('ims', and(cmp('type', 'eq', 'xmpp'), cmp('value', 'co', '@foo.com'))),
      ),
    ],
    // §3.4.3's search request.
    ['displayName sw "smith"', cmp('displayName', 'sw', 'smith')],
  ];

  it.each(examples)('%s', (text, expected) => {
    expect(parseFilter(text)).toStrictEqual(expected);
  });

  it.each(examples)('formats %s canonically and parses it back', (text, expected) => {
    expect(parseFilter(formatFilter(parseFilter(text)))).toStrictEqual(expected);
  });
});

describe('parseFilter: grammar', () => {
  it('reads every comparison operator, in any case', () => {
    for (const op of ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'lt', 'ge', 'le'] as const) {
      expect(parseFilter(`title ${op.toUpperCase()} "x"`)).toStrictEqual(cmp('title', op, 'x'));
      expect(parseFilter(`title ${op[0]}${op[1]!.toUpperCase()} "x"`)).toStrictEqual(cmp('title', op, 'x'));
    }
    expect(parseFilter('title PR')).toStrictEqual(pr('title'));
  });

  it('reads and, or and not in any case', () => {
    expect(parseFilter('a pr AND b pr Or NOT (c pr)')).toStrictEqual(or(and(pr('a'), pr('b')), not(pr('c'))));
  });

  it('binds and tighter than or', () => {
    expect(parseFilter('a pr or b pr and c pr')).toStrictEqual(or(pr('a'), and(pr('b'), pr('c'))));
    expect(parseFilter('a pr and b pr or c pr')).toStrictEqual(or(and(pr('a'), pr('b')), pr('c')));
  });

  it('associates to the left', () => {
    expect(parseFilter('a pr and b pr and c pr')).toStrictEqual(and(and(pr('a'), pr('b')), pr('c')));
    expect(parseFilter('a pr or b pr or c pr')).toStrictEqual(or(or(pr('a'), pr('b')), pr('c')));
  });

  it('groups with parentheses', () => {
    expect(parseFilter('(a pr or b pr) and c pr')).toStrictEqual(and(or(pr('a'), pr('b')), pr('c')));
    expect(parseFilter('a pr and (b pr and c pr)')).toStrictEqual(and(pr('a'), and(pr('b'), pr('c'))));
    expect(parseFilter('((((a pr))))')).toStrictEqual(pr('a'));
  });

  it('accepts "not" with or without a space before "("', () => {
    expect(parseFilter('not(a pr)')).toStrictEqual(not(pr('a')));
    expect(parseFilter('not  (a pr)')).toStrictEqual(not(pr('a')));
    expect(parseFilter('not (not (a pr))')).toStrictEqual(not(not(pr('a'))));
  });

  it('reads keywords as attribute names where an attribute is expected', () => {
    expect(parseFilter('not pr')).toStrictEqual(pr('not'));
    expect(parseFilter('and eq "x" and or pr')).toStrictEqual(and(cmp('and', 'eq', 'x'), pr('or')));
    expect(parseFilter('eq eq "x"')).toStrictEqual(cmp('eq', 'eq', 'x'));
  });

  it('reads valuePath filters with grouping and not inside the brackets', () => {
    expect(parseFilter('emails[type eq "work" or (type eq "home" and value ew "@example.com")]')).toStrictEqual(
      vp('emails', or(cmp('type', 'eq', 'work'), and(cmp('type', 'eq', 'home'), cmp('value', 'ew', '@example.com')))),
    );
    expect(parseFilter('emails[not (type eq "work")]')).toStrictEqual(vp('emails', not(cmp('type', 'eq', 'work'))));
    expect(parseFilter('emails[primary eq true]')).toStrictEqual(vp('emails', cmp('primary', 'eq', true)));
  });

  it('reads a URN-qualified valuePath', () => {
    expect(parseFilter(`${ENTERPRISE_USER}:manager[value eq "x"]`)).toStrictEqual({
      kind: 'valuePath',
      path: path('manager', ENTERPRISE_USER),
      filter: cmp('value', 'eq', 'x'),
    });
  });

  it('reads `attr[filter].sub op value` (Entra ID) as one element matching both', () => {
    expect(parseFilter('emails[type eq "work"].value eq "ada@example.com"')).toStrictEqual(
      vp('emails', and(cmp('type', 'eq', 'work'), cmp('value', 'eq', 'ada@example.com'))),
    );
    expect(parseFilter('addresses[type eq "work"].formatted pr')).toStrictEqual(vp('addresses', and(cmp('type', 'eq', 'work'), pr('formatted'))));
  });

  it('reads URN paths by splitting at the last colon', () => {
    expect(parseFilter(`${ENTERPRISE_USER}:employeeNumber eq "701984"`)).toStrictEqual(cmp(path('employeeNumber', ENTERPRISE_USER), 'eq', '701984'));
    expect(parseFilter(`${ENTERPRISE_USER}:manager.value eq "x"`)).toStrictEqual(cmp(path('manager.value', ENTERPRISE_USER), 'eq', 'x'));
    expect(parseFilter(`${ENTERPRISE_USER} pr`)).toStrictEqual({
      kind: 'present',
      path: { uri: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0', attr: 'User' },
    });
  });

  it('accepts $ref and names with digits, "-" and "_"', () => {
    expect(parseFilter('members.$ref pr')).toStrictEqual(pr('members.$ref'));
    expect(parseFilter('x509Certificates.value pr')).toStrictEqual(pr('x509Certificates.value'));
    expect(parseFilter('my-attr_2 pr')).toStrictEqual(pr('my-attr_2'));
  });

  it('does not need spaces around brackets, parentheses and strings', () => {
    expect(parseFilter('(a eq"x")and(b pr)')).toStrictEqual(and(cmp('a', 'eq', 'x'), pr('b')));
    expect(parseFilter(' \t a pr \r\n')).toStrictEqual(pr('a'));
  });
});

describe('parseFilter: literals', () => {
  it('decodes every JSON string escape', () => {
    expect(parseFilter(String.raw`a eq "q\" b\\ s\/ \b\f\n\r\t u\u00e9\u20AC"`)).toStrictEqual(cmp('a', 'eq', 'q" b\\ s/ \b\f\n\r\t ué€'));
  });

  it('keeps non-ASCII text and an empty string', () => {
    expect(parseFilter('displayName eq "Zoë 日本"')).toStrictEqual(cmp('displayName', 'eq', 'Zoë 日本'));
    expect(parseFilter('a eq ""')).toStrictEqual(cmp('a', 'eq', ''));
    expect(parseFilter('a eq "(not) [and] or"')).toStrictEqual(cmp('a', 'eq', '(not) [and] or'));
  });

  it('reads JSON numbers', () => {
    const cases: [string, number][] = [
      ['0', 0],
      ['42', 42],
      ['-7', -7],
      ['3.25', 3.25],
      ['-0.5', -0.5],
      ['1e3', 1000],
      ['2E-2', 0.02],
      ['1.5e+2', 150],
    ];
    for (const [text, value] of cases) expect(parseFilter(`n gt ${text}`)).toStrictEqual(cmp('n', 'gt', value));
  });

  it('reads true, false and null in any case', () => {
    expect(parseFilter('active eq true')).toStrictEqual(cmp('active', 'eq', true));
    expect(parseFilter('active eq FALSE')).toStrictEqual(cmp('active', 'eq', false));
    expect(parseFilter('title eq Null')).toStrictEqual(cmp('title', 'eq', null));
    expect(parseFilter('title ne null')).toStrictEqual(cmp('title', 'ne', null));
  });
});

describe('parseFilter: unquoted values (compat unquotedFilterValues, Entra ref §10.9)', () => {
  const lenient = (text: string) => parseFilter(text, { unquotedValues: true });

  it('reads a bare value as a string, up to a space, ")" or "]"', () => {
    expect(lenient('externalId eq jyoung')).toStrictEqual(cmp('externalId', 'eq', 'jyoung'));
    expect(lenient('userName eq ada@example.com')).toStrictEqual(cmp('userName', 'eq', 'ada@example.com'));
    expect(lenient('id eq 7d420df3-9995-4831-a406-ecf8166f5f6a')).toStrictEqual(cmp('id', 'eq', '7d420df3-9995-4831-a406-ecf8166f5f6a'));
    expect(lenient('(userName eq ada) and emails[type eq work]')).toStrictEqual(and(cmp('userName', 'eq', 'ada'), vp('emails', cmp('type', 'eq', 'work'))));
    expect(lenient('userName sw a and active eq true')).toStrictEqual(and(cmp('userName', 'sw', 'a'), cmp('active', 'eq', true)));
  });

  it('still reads quoted strings, numbers, true, false and null as the RFC says', () => {
    expect(lenient('a eq "x y"')).toStrictEqual(cmp('a', 'eq', 'x y'));
    expect(lenient('a eq 42')).toStrictEqual(cmp('a', 'eq', 42));
    expect(lenient('a eq -0.5e3')).toStrictEqual(cmp('a', 'eq', -500));
    expect(lenient('a eq TRUE')).toStrictEqual(cmp('a', 'eq', true));
    expect(lenient('a eq null')).toStrictEqual(cmp('a', 'eq', null));
  });

  it('is an error without the option, and a missing value is an error with it', () => {
    expect(filterError('externalId eq jyoung').detail).toMatch(/Expected a value \(a "quoted string", a number, true, false or null\) after "eq" at position 15/);
    expect(thrown(() => lenient('externalId eq'))).toBeInstanceOf(ScimError);
    expect(thrown(() => lenient('(externalId eq )'))).toBeInstanceOf(ScimError);
  });
});

describe('parseFilter: errors', () => {
  const bad: [string, string, RegExp][] = [
    ['empty', '', /empty at position 1/],
    ['blank', '   ', /empty at position 1/],
    ['missing operator', 'userName', /Expected a comparison operator .* after "userName" at position 9, found the end of the filter/],
    ['unknown operator', 'userName xx "john"', /Expected a comparison operator .* after "userName" at position 10, found "xx"/],
    ['missing value', 'userName eq', /Expected a value .* after "eq" at position 12/],
    ['unquoted value', 'externalId eq jyoung', /Expected a value .* at position 15, found "jyoung"/],
    ['pr with a value', 'title pr "x"', /"pr" operator takes no value at position 10/],
    ['pr with a number', 'title pr 5', /"pr" operator takes no value at position 10/],
    ['unterminated string', 'userName eq "john', /Unterminated string starting at position 13/],
    ['string ending in a backslash', 'userName eq "john\\', /Unterminated string starting at position 13/],
    ['bad escape', 'a eq "x\\q"', /Invalid escape "\\q" in a string at position 8/],
    ['short unicode escape', 'a eq "\\u12"', /four hex digits after "\\u" at position 7/],
    ['raw control character', 'a eq "x\ty"', /Control character U\+0009 must be escaped in a string at position 8/],
    ['unclosed parenthesis', '(a pr', /Expected "and", "or" or "\)" at position 6, found the end of the filter; the "\(" at position 1 is not closed/],
    ['extra closing parenthesis', 'a pr)', /Unexpected "\)" with no matching "\(" at position 5/],
    ['unclosed bracket', 'emails[type eq "work"', /Expected "and", "or" or "]" at position 22.*"\[" at position 7 is not closed/],
    ['extra closing bracket', 'a pr]', /Unexpected "]" with no matching "\[" at position 5/],
    ['mismatched closers', '(a pr]', /Expected "and", "or" or "\)" at position 6, found "]"/],
    ['empty brackets', 'emails[]', /Expected an attribute path, "\(" or "not \(" after "\[" at position 8, found "]"/],
    ['empty parentheses', '()', /Expected an attribute path.* at position 2, found "\)"/],
    ['trailing garbage', 'title pr garbage', /Expected "and", "or" or the end of the filter at position 10, found "garbage"/],
    ['dangling and', 'title pr and', /Expected an attribute path.* after "and" at position 13, found the end of the filter/],
    ['leading and', 'and', /Expected a comparison operator .* after "and" at position 4/],
    ['two values', 'a eq "x" "y"', /at position 10, found "y"/],
    ['not without parentheses', 'not a pr', /Expected a comparison operator .* after "not" at position 5, found "a"/],
    ['unexpected character', 'user#Name eq "x"', /Unexpected character "#" at position 5/],
    ['single quotes', "userName eq 'john'", /Unexpected character "'" at position 13/],
    ['leading-zero number', 'n eq 01', /Invalid number "01" .* at position 6/],
    ['lone minus', 'n eq -', /Invalid number "-" .* at position 6/],
    ['number without fraction digits', 'n eq 1.', /Invalid number "1\." .* at position 6/],
    ['number glued to letters', 'n eq 12ab', /Invalid number "12ab" .* at position 6/],
    ['number out of range', 'n eq 1e999', /out of range at position 6/],
    ['attribute starting with a digit', '1abc eq "x"', /Invalid number "1abc" .* at position 1/],
    ['attribute starting with "_"', '_abc eq "x"', /Attribute name "_abc" must start with a letter at position 1/],
    ['two sub-attributes', 'name.familyName.x pr', /Only one sub-attribute may follow "name" .* at position 16/],
    ['empty sub-attribute', 'name. pr', /Expected an attribute name at position 6/],
    ['empty attribute after URN', 'urn:ietf:params: pr', /Expected an attribute name at position 17/],
    ['URN without scheme', ':userName pr', /Expected a schema URI before ":" at position 1/],
    ['invalid character in a name', 'a$b pr', /Invalid character "\$" in attribute name "a\$b" at position 2/],
    ['nested value filter', 'emails[type[value eq "x"] pr]', /cannot contain another one at position 12/],
    ['qualified name inside brackets', 'emails[name.x eq "y"]', /Inside "\[...\]" name a sub-attribute .* not "name.x" at position 8/],
    ['value filter on a sub-attribute', 'name.givenName[value eq "x"]', /not of the sub-attribute "name.givenName" at position 15/],
    ['gt with null', 'a gt null', /"gt" operator cannot compare with null; use eq or ne at position 6/],
    ['co with a boolean', 'a co true', /"co" operator cannot compare with true/],
    ['sw with a number', 'a sw 5', /"sw" operator compares strings; quote the value 5 at position 6/],
    ['lone "not"', 'not', /Expected a comparison operator .* after "not" at position 4/],
  ];

  it.each(bad)('%s: %j', (_name, text, detail) => {
    expect(filterError(text).detail).toMatch(detail);
  });

  it('refuses deep nesting with a position, not a stack overflow', () => {
    const depth = MAX_FILTER_DEPTH + 1;
    const text = `${'('.repeat(depth)}a pr${')'.repeat(depth)}`;
    expect(filterError(text).detail).toBe(`The filter nests more than ${MAX_FILTER_DEPTH} levels deep at position ${depth}`);
    expect(parseFilter(`${'('.repeat(MAX_FILTER_DEPTH)}a pr${')'.repeat(MAX_FILTER_DEPTH)}`)).toStrictEqual(pr('a'));
  });

  it('refuses 10,000 nested parentheses, "not (" and brackets', () => {
    expect(filterError(`${'('.repeat(10_000)}a pr${')'.repeat(10_000)}`).detail).toMatch(/at position \d+/);
    expect(filterError(`${'not ('.repeat(2_000)}a pr${')'.repeat(2_000)}`).detail).toMatch(/nests more than 64 levels deep at position 325$/);
    expect(filterError(`${'('.repeat(8_000)}a pr${')'.repeat(8_000)}`).detail).toMatch(/nests more than 64 levels deep at position 65$/);
    expect(filterError(`a[${'('.repeat(1_000)}b pr${')'.repeat(1_000)}]`).detail).toMatch(/nests more than 64 levels deep at position 66$/);
    expect(filterError('('.repeat(10_000)).detail).toMatch(/at position \d+$/);
  });

  it('refuses a 1 MB filter before reading it', () => {
    const text = `userName eq "${'x'.repeat(1 << 20)}"`;
    expect(filterError(text).detail).toBe(`The filter is ${text.length} characters long, more than the ${MAX_FILTER_LENGTH} allowed at position ${MAX_FILTER_LENGTH + 1}`);
  });

  it('parses the longest flat chain the condition limit allows, and formats it back', () => {
    const text = Array.from({ length: MAX_FILTER_CONDITIONS }, () => 'a pr').join(' or ');
    const filter = parseFilter(text);
    expect(filter.kind).toBe('or');
    expect(parseFilter(formatFilter(filter))).toStrictEqual(filter);
    expect(filterError(`${text} or b[c pr]`).detail).toBe(
      `The filter has more conditions than the ${MAX_FILTER_CONDITIONS} this server evaluates in one filter: condition ${MAX_FILTER_CONDITIONS + 1} is at position ${text.length + 9}`,
    );
  });

  it('refuses a non-string with a ScimError', () => {
    expect(thrown(() => parseFilter(undefined as unknown as string))).toBeInstanceOf(ScimError);
  });

  it('throws nothing but ScimError on arbitrary input', () => {
    const alphabet = ['a', 'eq', 'pr', 'and', 'or', 'not', '(', ')', '[', ']', '"x"', '"', '\\', '.', ':', '1', '-', ' ', 'true', 'null', '$', '#'];
    let seed = 12345;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let i = 0; i < 3000; i++) {
      const parts = Array.from({ length: 1 + random(12) }, () => alphabet[random(alphabet.length)]!);
      const text = parts.join(random(2) ? ' ' : '');
      try {
        const filter = parseFilter(text);
        expect(parseFilter(formatFilter(filter))).toStrictEqual(filter);
      } catch (error) {
        expect(error, text).toBeInstanceOf(ScimError);
      }
    }
  });
});

describe('formatFilter', () => {
  it('writes canonical text', () => {
    expect(formatFilter(parseFilter('userName EQ  "john"'))).toBe('userName eq "john"');
    expect(formatFilter(parseFilter('NOT(a PR)'))).toBe('not (a pr)');
    expect(formatFilter(parseFilter('a eq "say \\"hi\\"\\n"'))).toBe('a eq "say \\"hi\\"\\n"');
    expect(formatFilter(parseFilter('a gt 1E3'))).toBe('a gt 1000');
    expect(formatFilter(parseFilter('a eq NULL'))).toBe('a eq null');
  });

  it('keeps only the parentheses the tree needs', () => {
    const cases: [string, string][] = [
      ['(a pr or b pr) and c pr', '(a pr or b pr) and c pr'],
      ['a pr and (b pr or c pr)', 'a pr and (b pr or c pr)'],
      ['a pr and (b pr and c pr)', 'a pr and (b pr and c pr)'],
      ['(a pr and b pr) and c pr', 'a pr and b pr and c pr'],
      ['a pr or (b pr or c pr)', 'a pr or (b pr or c pr)'],
      ['(a pr or b pr) or c pr', 'a pr or b pr or c pr'],
      ['a pr or (b pr and c pr)', 'a pr or b pr and c pr'],
      ['(a pr)', 'a pr'],
    ];
    for (const [text, canonical] of cases) expect(formatFilter(parseFilter(text))).toBe(canonical);
  });

  it('round-trips hand-built trees', () => {
    const trees: Filter[] = [
      and(pr('a'), or(pr('b'), pr('c'))),
      or(pr('a'), or(pr('b'), pr('c'))),
      and(or(pr('a'), pr('b')), and(pr('c'), pr('d'))),
      not(and(pr('a'), not(pr('b')))),
      vp('emails', or(and(cmp('type', 'eq', 'work'), cmp('primary', 'eq', true)), not(cmp('value', 'ew', '.org')))),
      cmp(path('manager.value', ENTERPRISE_USER), 'eq', 'x'),
      cmp('n', 'lt', -0),
      cmp('n', 'ge', 1e-7),
      cmp('n', 'le', 1.7976931348623157e308),
      cmp('s', 'eq', '\u0000\u001f\u007f\ud800"\\/'),
    ];
    for (const tree of trees) expect(parseFilter(formatFilter(tree))).toStrictEqual(tree);
  });
});
