import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { LENIENT, STRICT } from '../../scim/compat.js';
import { parseFilter } from '../../scim/filter/parse.js';
import {
  assertFilterAttributes,
  assertFilterOperators,
  declaredSchemas,
  DEFAULT_PROFILE,
  dropUnstored,
  isPartlyStored,
  isUnstored,
  overlayProfile,
  ProfileError,
  profileJsonSchema,
  readProfile,
  resolveProfile,
  rulePatch,
  rulePut,
  supportsOf,
  type Profile,
  type ProfileDocument,
  type ProfileLookup,
  type ProfileSource,
} from '../../scim/profile/index.js';
import { CORE_SCHEMAS, GROUP_RESOURCE_TYPE, USER_RESOURCE_TYPE, userModel } from '../../scim/schema/index.js';
import { ResourceModel } from '../../scim/schema/model.js';
import { URN } from '../../scim/schema/urns.js';

const PATCH_OP = URN.patchOp;

function mistakes(data: unknown): string[] {
  try {
    readProfile(data, 'p.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(ProfileError);
    return (error as ProfileError).problems.map((p) => `${p.path}: ${p.message}`);
  }
  return [];
}

/** Documents by name, as a loader would find them. */
function lookupOf(documents: Record<string, ProfileDocument>): ProfileLookup {
  return (name, from) => {
    const document = documents[name];
    if (!document) throw new ProfileError(from, [{ path: 'extends', message: `"${name}" is not a profile` }]);
    return { document, where: name, name };
  };
}

const STRICT_DOC: ProfileDocument = { name: 'strict', extends: 'none' };
const source = (document: ProfileDocument, where = 'mine'): ProfileSource => ({ document, where, name: where });

describe('readProfile', () => {
  it('accepts every section', () => {
    const document: ProfileDocument = {
      name: 'everything',
      description: 'all the fields',
      extends: 'lenient',
      refs: ['RFC 7644 §3.5.2'],
      compat: { caseInsensitiveOps: true },
      endpoints: { '/Users/{id}': ['GET', 'PUT', 'PATCH'], '/Bulk': [], absent: { status: 404, body: { error: { name: 'NotFound' }, status: 'error' } } },
      filter: {
        operators: ['eq', 'and'],
        attributes: { User: { userName: ['eq'], active: ['eq'] }, Group: { displayName: ['eq'] } },
        caseExact: { User: { userName: true } },
        refusal: { status: 400 },
      },
      paging: { maxResults: 100, defaultCount: 100, startIndexBelowOne: 'refuse' },
      patch: { status: 204, ops: ['replace'], paths: { User: { apply: ['active', 'name.givenName'], otherwise: 'ignore' } }, checkSchemas: false },
      put: { paths: { User: { apply: ['name.givenName', 'active'], otherwise: 'refuse' } } },
      parameters: { ignored: ['sortBy', 'attributes'] },
      attributes: {
        User: { stored: ['userName', 'name.givenName', 'active'], unstored: 'ignore', groups: false, meta: ['resourceType', 'created'] },
        Group: { stored: 'all', meta: ['lastModified'] },
      },
      discovery: { serviceProviderConfig: { fields: { sort: { supported: false } } }, resourceTypes: 'array', public: true, schemas: [{ id: 'x' }] },
      errors: { scimType: 'required', answers: [{ status: 401, endpoint: '/ResourceTypes', body: { error: { name: 'AuthenticationError' } } }] },
      auth: { forms: ['bearer', 'raw'], rotationGrace: 60 },
      users: { put: 'keep-omitted', displayNameDefault: 'userName', userNameCase: 'lower' },
      groups: { put: 'replace', memberDisplay: 'computed', uniqueDisplayName: true, onDelete: 'deactivate-groupless' },
      team: {
        scimEnabled: false,
        verifiedDomains: ['example.com'],
        accounts: [{ email: 'ana@example.com' }, { email: 'bo@partner.example', otherTeam: true }],
        invites: { status: 201, listed: false, pendingStatus: 409 },
        userNameChange: 'verified-domains',
      },
      supports: { bulk: false, sort: false },
    };
    expect(mistakes(document)).toEqual([]);
    expect(readProfile(undefined, 'empty.yaml')).toEqual({});
  });

  it.each([
    [{ filtre: {} }, "filtre: unknown key 'filtre' at the top level: did you mean 'filter'?"],
    [{ patch: { staus: 204 } }, "patch.staus: unknown key 'staus' in patch: did you mean 'status'?"],
    [{ patch: { status: 201 } }, 'patch.status: must be one of 200, 204, got 201'],
    [{ users: { put: 'keep_omitted' } }, "users.put: must be one of replace, keep-omitted, got \"keep_omitted\": did you mean 'keep-omitted'?"],
    [{ compat: { stringBooleans: 'yes' } }, 'compat.stringBooleans: must be true or false, got "yes"'],
    [{ endpoints: { '/Users': ['DELETE'] } }, 'endpoints["/Users"][0]: must be one of GET, POST, got "DELETE"'],
    [{ endpoints: { '/Userz': [] } }, `endpoints["/Userz"]: unknown key '/Userz' in endpoints: did you mean '/Users'?`],
    [{ filter: { attributes: { User: { userName: ['equals'] } } } }, 'filter.attributes.User.userName[0]: must be one of eq, ne, co, sw, ew, gt, lt, ge, le, pr, got "equals"'],
    [{ filter: { operators: ['eq', 'eq'] } }, 'filter.operators[1]: repeats "eq": list it once'],
    [{ paging: { maxResults: 0 } }, 'paging.maxResults: must be a whole number of at least 1, got 0'],
    [{ attributes: { User: { stored: 'some' } } }, 'attributes.User.stored: must be all, or a list of non-empty strings, got "some"'],
    [{ attributes: { User: { stored: ['userName', 3] } } }, 'attributes.User.stored[1]: must be a non-empty string, got 3'],
    [{ patch: { paths: { User: { otherwise: 'ignore' } } } }, "patch.paths.User: needs 'apply': a list of non-empty strings"],
    [{ errors: { answers: [{ status: 401 }] } }, "errors.answers[0]: needs 'body': any JSON value"],
    [{ auth: { forms: ['token'] } }, 'auth.forms[0]: must be one of bearer, raw, basic, got "token"'],
    [{ discovery: { serviceProviderConfig: { body: [] } } }, 'discovery.serviceProviderConfig.body: must be a JSON object, got a list'],
    [{ team: { accounts: [{ otherTeam: true }] } }, "team.accounts[0]: needs 'email': a non-empty string"],
    [{ team: { accounts: [{ email: 'a@b', team: 'other' }] } }, "team.accounts[0].team: unknown key 'team' in team.accounts[0] (known keys: email, otherTeam)"],
    [{ team: { invites: { pendingStatus: 201 } } }, 'team.invites.pendingStatus: must be a whole number from 400 to 599, got 201'],
    [{ team: { userNameChange: 'verified' } }, "team.userNameChange: must be one of any, verified-domains, got \"verified\""],
    [{ team: { verifiedDomains: ['a.example', 'a.example'] } }, 'team.verifiedDomains[1]: repeats "a.example": list it once'],
    [{ parameters: { ignored: ['sort'] } }, 'parameters.ignored[0]: must be one of sortBy, sortOrder, attributes, excludedAttributes, startIndex, count, got "sort"'],
    [{ attributes: { User: { meta: ['etag'] } } }, 'attributes.User.meta[0]: must be one of resourceType, created, lastModified, location, version, got "etag"'],
    [{ put: { paths: { User: { apply: ['active'], otherwise: 'keep' } } } }, 'put.paths.User.otherwise: must be one of refuse, ignore, got "keep"'],
    [{ groups: { onDelete: 'deactivate' } }, "groups.onDelete: must be one of keep-members, deactivate-groupless, got \"deactivate\""],
    [[], 'the profile: must be a mapping with name, description, extends, refs, compat, endpoints, filter, paging, patch, put, parameters, attributes, discovery, errors, auth, users, groups, team, supports, got a list'],
  ])('refuses %j, naming the field and what it takes', (data, message) => {
    expect(mistakes(data)).toEqual([message]);
  });

  it('lists every mistake, in one error naming the source', () => {
    expect(() => readProfile({ patch: { status: 1 }, users: { put: 'x' } }, 'target.yaml')).toThrow(
      /^target\.yaml has 2 mistakes:\n {2}patch\.status: .*\n {2}users\.put: /,
    );
  });
});

describe('the JSON Schema', () => {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  const validate = ajv.compile(profileJsonSchema());

  it.each<[string, unknown]>([
    ['empty', {}],
    ['names', { name: 'x', description: '', extends: 'strict', refs: ['a'] }],
    ['endpoints', { endpoints: { '/Users/{id}': ['GET'], '/Me': [], absent: { status: 404 } } }],
    ['bad endpoint method', { endpoints: { '/Bulk': ['GET'] } }],
    ['unknown top key', { filters: {} }],
    ['unknown nested key', { paging: { max: 1 } }],
    ['float status', { patch: { status: 204.5 } }],
    ['string status', { patch: { status: '204' } }],
    ['stored all', { attributes: { User: { stored: 'all' } } }],
    ['stored list', { attributes: { Group: { stored: ['displayName'] } } }],
    ['stored word', { attributes: { Group: { stored: 'none' } } }],
    ['stored empty name', { attributes: { Group: { stored: [''] } } }],
    ['groups on Group', { attributes: { Group: { groups: false } } }],
    ['filter table', { filter: { attributes: { User: { 'name.givenName': ['eq', 'sw'] } } } }],
    ['filter table type', { filter: { attributes: { Users: {} } } }],
    ['caseExact', { filter: { caseExact: { User: { userName: 'yes' } } } }],
    ['repeated op', { patch: { ops: ['add', 'add'] } }],
    ['paths without apply', { patch: { paths: { Group: { otherwise: 'refuse' } } } }],
    ['answers', { errors: { answers: [{ status: 401, body: null }] } }],
    ['answer endpoint', { errors: { answers: [{ status: 401, endpoint: '/Nope', body: {} }] } }],
    ['grace', { auth: { rotationGrace: -1 } }],
    ['spc body', { discovery: { serviceProviderConfig: { body: {} } } }],
    ['spc fields', { discovery: { serviceProviderConfig: { fields: 'x' } } }],
    ['supports', { supports: { bulk: false, etag: true } }],
    ['supports unknown', { supports: { bulks: false } }],
    ['team', { team: { scimEnabled: false, verifiedDomains: ['example.com'], accounts: [{ email: 'a@example.com', otherTeam: true }], userNameChange: 'any' } }],
    ['team account without email', { team: { accounts: [{ otherTeam: true }] } }],
    ['team empty domain', { team: { verifiedDomains: [''] } }],
    ['invites', { team: { invites: { status: 202, listed: true, pendingStatus: 422 } } }],
    ['invites pending 2xx', { team: { invites: { pendingStatus: 200 } } }],
    ['put paths', { put: { paths: { User: { apply: ['active'] } } } }],
    ['put paths without apply', { put: { paths: { User: { otherwise: 'ignore' } } } }],
    ['parameters', { parameters: { ignored: ['excludedAttributes'] } }],
    ['parameters unknown', { parameters: { ignored: ['filter'] } }],
    ['meta', { attributes: { Group: { meta: ['created', 'version'] } } }],
    ['meta repeated', { attributes: { Group: { meta: ['created', 'created'] } } }],
    ['checkSchemas', { patch: { checkSchemas: 'no' } }],
    ['groups and users', { groups: { uniqueDisplayName: true, onDelete: 'keep-members' }, users: { userNameCase: 'lower' } }],
    ['not a mapping', 'strict'],
  ])('agrees with readProfile on %s', (_name, data) => {
    expect(validate(data), JSON.stringify(validate.errors)).toBe(mistakes(data).length === 0);
  });
});

describe('resolveProfile', () => {
  const lookup = lookupOf({
    strict: STRICT_DOC,
    lenient: { name: 'lenient', compat: { ...LENIENT } },
    middle: { extends: 'lenient', patch: { status: 204 }, filter: { caseExact: { User: { userName: true } } } },
  });

  it('takes the built-in defaults through strict, which extends none', () => {
    const profile = resolveProfile(source({ name: 'mine' }), lookup);
    expect({ ...profile, name: DEFAULT_PROFILE.name, description: DEFAULT_PROFILE.description, refs: [] }).toEqual(DEFAULT_PROFILE);
    expect(profile.compat).toEqual(STRICT);
  });

  it('lays each profile of a chain over the one it extends, field by field', () => {
    const profile = resolveProfile(source({ extends: 'middle', filter: { caseExact: { User: { externalId: false } } }, users: { put: 'keep-omitted' } }), lookup);
    expect(profile.name).toBe('mine');
    expect(profile.compat).toEqual(LENIENT);
    expect(profile.patch.status).toBe(204);
    expect(profile.patch.ops).toEqual(['add', 'remove', 'replace']);
    expect(profile.filter.caseExact).toEqual({ User: { userName: true, externalId: false } });
    expect(profile.users).toEqual({ put: 'keep-omitted', displayNameDefault: 'none', activeDefault: false, userNameCase: 'as-sent' });
  });

  it('refuses a chain that comes back on itself, and an unknown parent', () => {
    const circle = lookupOf({ a: { extends: 'b' }, b: { extends: 'a' } });
    expect(() => resolveProfile(source({ extends: 'a' }), circle)).toThrow('mine: extends: goes round in a circle: mine → a → b → a; end the chain at strict or none');
    expect(() => resolveProfile(source({ extends: 'nope' }), lookup)).toThrow('mine: extends: "nope" is not a profile');
  });

  it('replaces lists and per-type tables whole, merges endpoints and ServiceProviderConfig fields one by one', () => {
    const base = overlayProfile(DEFAULT_PROFILE, {
      filter: { attributes: { User: { userName: ['eq'] }, Group: { displayName: ['eq'] } } },
      endpoints: { '/Bulk': [] },
      discovery: { serviceProviderConfig: { fields: { sort: { supported: false } } } },
    });
    const over = overlayProfile(base, {
      filter: { operators: ['eq'], attributes: { User: { active: ['eq'] } } },
      endpoints: { '/Me': [] },
      discovery: { serviceProviderConfig: { fields: { etag: { supported: false } } } },
    });
    expect(over.filter.operators).toEqual(['eq']);
    expect(over.filter.attributes).toEqual({ User: { active: ['eq'] }, Group: { displayName: ['eq'] } });
    expect(over.endpoints.methods['/Bulk']).toEqual([]);
    expect(over.endpoints.methods['/Me']).toEqual([]);
    expect(over.endpoints.methods['/Users']).toEqual(['GET', 'POST']);
    expect(over.discovery.serviceProviderConfig.fields).toEqual({ sort: { supported: false }, etag: { supported: false } });
  });

  it('gives PATCH and PUT paths a default otherwise of refuse', () => {
    const profile = overlayProfile(DEFAULT_PROFILE, { patch: { paths: { User: { apply: ['active'] } as never } }, put: { paths: { Group: { apply: ['displayName'] } as never } } });
    expect(profile.patch.paths.User).toEqual({ apply: ['active'], otherwise: 'refuse' });
    expect(profile.put.paths.Group).toEqual({ apply: ['displayName'], otherwise: 'refuse' });
  });

  it('merges team member by member: accounts and domains replaced whole, invites merged, otherTeam false by default', () => {
    const base = overlayProfile(DEFAULT_PROFILE, { team: { verifiedDomains: ['a.example'], accounts: [{ email: 'x@a.example' }], invites: { status: 202 } } });
    expect(base.team).toEqual({
      scimEnabled: true,
      verifiedDomains: ['a.example'],
      accounts: [{ email: 'x@a.example', otherTeam: false }],
      invites: { status: 202, listed: false, pendingStatus: 409 },
      userNameChange: 'any',
    });
    const over = overlayProfile(base, { team: { accounts: [{ email: 'y@b.example', otherTeam: true }], invites: { listed: true } } });
    expect(over.team).toMatchObject({ verifiedDomains: ['a.example'], accounts: [{ email: 'y@b.example', otherTeam: true }], invites: { status: 202, listed: true } });
  });
});

describe('supportsOf', () => {
  it("takes the profile's claims, and the ServiceProviderConfig for the rest", () => {
    const spc = { patch: { supported: true }, bulk: { supported: true }, filter: { supported: true }, sort: { supported: false } };
    expect(supportsOf({ supports: { bulk: false } }, spc)).toEqual({ patch: true, bulk: false, filter: true, sort: false, etag: false, changePassword: false });
  });
});

describe('filter rules', () => {
  it('refuses operators the profile lacks, in written order', () => {
    expect(() => assertFilterOperators(parseFilter('userName eq "a" or userName sw "b"'), ['eq', 'and'])).toThrow(
      'The filter operator "or" is not supported: filters here may use only "eq" and "and", with parentheses',
    );
    expect(() => assertFilterOperators(parseFilter('emails[type eq "work"]'), ['eq', 'and', 'or'])).toThrow(
      'Value filters such as emails[…] are not supported: filters here may use only "eq", "and" and "or", with parentheses',
    );
    expect(() => assertFilterOperators(parseFilter('(userName eq "a") and active eq true'), ['eq', 'and'])).not.toThrow();
  });

  it('refuses attributes and operators a resource type does not list', () => {
    const table = { userName: ['eq' as const], 'emails.type': ['eq' as const] };
    const check = (text: string) => () => assertFilterAttributes(parseFilter(text), table, 'User', URN.user);
    expect(check(`${URN.user}:userName eq "a"`)).not.toThrow();
    expect(check('emails[type eq "work"]')).not.toThrow();
    expect(check('externalId eq "a"')).toThrow('Users cannot be filtered on "externalId" here: filter on userName (eq), emails.type (eq)');
    expect(check('USERNAME sw "a"')).toThrow('"USERNAME" takes only eq here, not "sw"');
  });
});

describe('rulePatch', () => {
  const body = (...Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations });
  const rules = { ops: ['add', 'remove', 'replace'] as const, coreUrn: URN.user, extensions: [URN.enterpriseUser] };

  it('refuses an op the profile does not accept, after compat decides its case', () => {
    expect(() => rulePatch(body({ op: 'Add', path: 'title', value: 'x' }), { ...rules, ops: ['replace'] }, LENIENT)).toThrow(
      'Operation 1: op "add" is not supported here: use replace',
    );
  });

  it('keeps the paths listed, with their sub-attributes, and drops or refuses the rest', () => {
    const ignore = { ...rules, paths: { apply: ['active', 'name.givenName', 'emails'], otherwise: 'ignore' as const } };
    const ruled = rulePatch(
      body(
        { op: 'replace', path: 'userName', value: 'x' },
        { op: 'replace', path: 'emails[type eq "work"].value', value: 'a@example.com' },
        { op: 'replace', value: { active: false, nickName: 'n', name: { givenName: 'A', familyName: 'L' } } },
        { op: 'replace', path: 'name', value: { givenName: 'B', middleName: 'M' } },
      ),
      ignore,
      STRICT,
    );
    expect(ruled.empty).toBe(false);
    expect((ruled.body as { Operations: unknown[] }).Operations).toEqual([
      { op: 'replace', path: 'emails[type eq "work"].value', value: 'a@example.com' },
      { op: 'replace', value: { active: false, name: { givenName: 'A' } } },
      { op: 'replace', path: 'name', value: { givenName: 'B' } },
    ]);
    expect(rulePatch(body({ op: 'replace', path: 'title', value: 'x' }), ignore, STRICT).empty).toBe(true);
    const refuse = { ...rules, paths: { apply: ['active'], otherwise: 'refuse' as const } };
    expect(() => rulePatch(body({ op: 'replace', value: { title: 'x' } }), refuse, STRICT)).toThrow('PATCH may change only active here, not "title"');
  });

  it('judges the listed paths before what is stored: a path not listed gets otherwise, stored or not', () => {
    const ignored = (path: string) => path.toLowerCase() === 'title' || path.toLowerCase() === 'name.formatted';
    const refuse = { ...rules, ignored, paths: { apply: ['active', 'title'], otherwise: 'refuse' as const } };
    expect(() => rulePatch(body({ op: 'replace', path: 'nickName', value: 'x' }), refuse, STRICT)).toThrow('PATCH may change only active, title here, not "nickName"');
    expect(rulePatch(body({ op: 'replace', path: 'title', value: 'x' }), refuse, STRICT).empty).toBe(true);
    // A partly stored attribute's value is judged member by member.
    const partly = { ...rules, ignored, partlyStored: (path: string) => path === 'name' };
    expect((rulePatch(body({ op: 'add', path: 'name', value: { givenName: 'A', formatted: 'A B' } }), partly, STRICT).body as { Operations: unknown[] }).Operations).toEqual([
      { op: 'add', path: 'name', value: { givenName: 'A' } },
    ]);
  });

  it('drops what the server does not store, extension members included', () => {
    const ignored = (path: string) => ['title', `${URN.enterpriseUser}:costCenter`.toLowerCase()].includes(path.toLowerCase());
    const ruled = rulePatch(
      body({ op: 'add', value: { title: 'x', displayName: 'D', [URN.enterpriseUser]: { costCenter: '1', department: 'R&D' } } }, { op: 'add', path: 'title', value: 'y' }),
      { ...rules, ignored },
      STRICT,
    );
    expect((ruled.body as { Operations: unknown[] }).Operations).toEqual([{ op: 'add', value: { displayName: 'D', [URN.enterpriseUser]: { department: 'R&D' } } }]);
  });
});

describe('rulePut', () => {
  const stored = { schemas: [URN.user, URN.enterpriseUser], id: '1', userName: 'ada', title: 'Countess', name: { givenName: 'Ada', familyName: 'Lovelace' }, active: true, [URN.enterpriseUser]: { department: 'R&D', costCenter: '7' }, meta: { version: 'W/"1"' } };
  const rules = (apply: string[], otherwise: 'ignore' | 'refuse' = 'ignore', keepOmitted = false) => ({ paths: { apply, otherwise }, keepOmitted, extensions: [URN.enterpriseUser] });

  it('takes the listed attributes from the body and the rest from the stored resource', () => {
    const sent = { schemas: [URN.user], userName: 'bob', title: 'x', name: { givenName: 'Augusta', middleName: 'M' }, active: false };
    expect(rulePut(sent, stored, rules(['name.givenName', 'active']))).toEqual({
      schemas: [URN.user, URN.enterpriseUser],
      userName: 'ada',
      title: 'Countess',
      name: { givenName: 'Augusta', familyName: 'Lovelace' },
      active: false,
      [URN.enterpriseUser]: { department: 'R&D', costCenter: '7' },
    });
  });

  it('clears a listed attribute the body omits, unless omitted ones are kept', () => {
    const sent = { schemas: [URN.user], userName: 'ada' };
    expect(rulePut(sent, stored, rules(['title', `${URN.enterpriseUser}:department`]))).toMatchObject({ userName: 'ada', [URN.enterpriseUser]: { costCenter: '7' } });
    expect(rulePut(sent, stored, rules(['title'])) as object).not.toHaveProperty('title');
    expect(rulePut(sent, stored, rules(['title'], 'ignore', true))).toMatchObject({ title: 'Countess' });
  });

  it('refuses a changed value of another attribute when told, an unchanged one passes; a body without schemas stays without', () => {
    expect(() => rulePut({ schemas: [URN.user], userName: 'ada', Title: 'Dr' }, stored, rules(['active'], 'refuse'))).toThrow('PUT may change only active here, not "Title"');
    expect(() => rulePut({ schemas: [URN.user], userName: 'ada', title: 'Countess', name: { givenName: 'Ada' } }, stored, rules(['active', 'name.familyName'], 'refuse'))).not.toThrow();
    expect(() => rulePut({ schemas: [URN.user], name: { givenName: 'Augusta' } }, stored, rules(['name.familyName'], 'refuse'))).toThrow('not "name.givenName"');
    expect(rulePut({ userName: 'ada', active: false }, stored, rules(['active']))).not.toHaveProperty('schemas');
  });
});

describe('declaredSchemas and dropUnstored', () => {
  const base = { schemas: CORE_SCHEMAS, resourceTypes: [USER_RESOURCE_TYPE, GROUP_RESOURCE_TYPE] };
  const profile = (over: ProfileDocument): Profile => overlayProfile(DEFAULT_PROFILE, over);

  it('changes nothing for the defaults', () => {
    expect(declaredSchemas(DEFAULT_PROFILE, base)).toBeUndefined();
  });

  it('keeps the stored attributes, extension attributes one by one, and sets caseExact', () => {
    const declared = declaredSchemas(
      profile({
        attributes: { User: { stored: ['userName', 'name', `${URN.enterpriseUser}:department`], groups: false } },
        filter: { caseExact: { User: { userName: true, 'name.givenName': true } } },
      }),
      base,
    )!;
    const user = declared.schemas.find((s) => s.id === URN.user)!;
    expect(user.attributes.map((a) => a.name)).toEqual(['userName', 'name']);
    expect(user.attributes[0]!.caseExact).toBe(true);
    expect(user.attributes[1]!.subAttributes!.find((s) => s.name === 'givenName')!.caseExact).toBe(true);
    expect(declared.schemas.find((s) => s.id === URN.enterpriseUser)!.attributes.map((a) => a.name)).toEqual(['department']);
    // RFC 7643's own definitions are untouched.
    expect(CORE_SCHEMAS[0]!.attributes[0]!.caseExact).toBe(false);
  });

  it('keeps only the listed sub-attributes of a complex attribute, and drops the others from a body', () => {
    const declared = declaredSchemas(profile({ attributes: { User: { stored: ['userName', 'name.givenName', 'emails.value'], groups: false } } }), base)!;
    const user = declared.schemas.find((s) => s.id === URN.user)!;
    expect(user.attributes.map((a) => [a.name, a.subAttributes?.map((s) => s.name)])).toEqual([
      ['userName', undefined],
      ['name', ['givenName']],
      ['emails', ['value']],
    ]);
    const served = new ResourceModel(declared.resourceTypes[0]!, declared.schemas);
    const body = { schemas: [URN.user], userName: 'a', name: { givenName: 'A', formatted: 'A B' }, emails: [{ value: 'a@example.com', type: 'work' }] };
    expect(dropUnstored(body, userModel, served, true)).toEqual({ schemas: [URN.user], userName: 'a', name: { givenName: 'A' }, emails: [{ value: 'a@example.com' }] });
    expect([isUnstored('name.formatted', userModel, served), isUnstored('name.givenName', userModel, served), isPartlyStored('name', userModel, served), isPartlyStored('userName', userModel, served)]).toEqual([
      true,
      false,
      true,
      false,
    ]);
  });

  it('drops an unstored extension from the resource type and the schemas', () => {
    const declared = declaredSchemas(profile({ attributes: { User: { stored: ['userName'] } } }), base)!;
    expect(declared.schemas.map((s) => s.id)).not.toContain(URN.enterpriseUser);
    expect(declared.resourceTypes[0]!.schemaExtensions).toEqual([]);
  });

  it('takes out of a body what is not stored: all of it, or only readOnly attributes', () => {
    const declared = declaredSchemas(profile({ attributes: { User: { stored: ['userName', 'displayName'], groups: false } } }), base)!;
    const served = new ResourceModel(declared.resourceTypes[0]!, declared.schemas);
    const body = { schemas: [URN.user, URN.enterpriseUser], userName: 'a', title: 'T', groups: [], [URN.enterpriseUser]: { department: 'x' }, shoeSize: 9 };
    expect(dropUnstored(body, userModel, served, true)).toEqual({ schemas: [URN.user], userName: 'a', shoeSize: 9 });
    const { groups: _readOnly, ...rest } = body;
    expect(dropUnstored(body, userModel, served, false)).toEqual(rest);
  });
});
