/**
 * `patch.values` (scim/profile/patch-values.ts): the value shapes a profile lets a PATCH carry, by
 * form and name, as rulePatch applies them after `patch.paths`, as a profile file writes them, and
 * how they must agree with compat.stringBooleans.
 */
import { describe, expect, it } from 'vitest';
import { LENIENT, STRICT } from '../../../scim/compat.js';
import {
  DEFAULT_PROFILE,
  kindsOf,
  overlayProfile,
  ProfileError,
  readProfile,
  refusedShape,
  rulePatch,
  shapeWords,
  unknownAttributeNames,
  valueKindProblems,
  type PatchRules,
  type PatchValues,
} from '../../../scim/profile/index.js';
import { readPatchRequest } from '../../../scim/patch/request.js';
import { groupModel, userModel } from '../../../scim/schema/index.js';
import { URN } from '../../../scim/schema/urns.js';

const body = (...Operations: unknown[]) => ({ schemas: [URN.patchOp], Operations });
const operations = (ruled: { body: unknown }) => (ruled.body as { Operations: unknown[] }).Operations;

/** Postman's OpenAPI reading (Postman ref §4.2): form A, a path-less `active` boolean; form B, path userName, a string. */
const FORMS: PatchValues = { path: { userName: ['string'] }, pathless: { active: ['boolean'] }, otherwise: 'refuse' };
const rules = (values: PatchValues): PatchRules => ({ ops: ['add', 'remove', 'replace'], values, coreUrn: URN.user, extensions: [URN.enterpriseUser] });

/** The detail of the ScimError `run` throws, with its scimType. */
function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    const { scimType, message } = error as { scimType?: string; message: string };
    return `${scimType}: ${message}`;
  }
  throw new Error('nothing was refused');
}

describe('kindsOf', () => {
  it('names a JSON value by its type, and "True"/"False" in any case also as booleanString', () => {
    expect([true, 1.5, 'x', 'FaLsE', 'True ', null, [], {}].map(kindsOf)).toEqual([
      ['boolean'],
      ['number'],
      ['string'],
      ['string', 'booleanString'],
      ['string'],
      ['null'],
      ['array'],
      ['object'],
    ]);
  });
});

describe('rulePatch with patch.values', () => {
  it('takes form A and form B as the profile lists them, names compared ignoring case and the core URN', () => {
    const sent = body({ op: 'replace', value: { active: false } }, { op: 'replace', path: 'USERNAME', value: 'ana@example.com' }, { op: 'replace', value: { [`${URN.user}:active`]: true } });
    expect(operations(rulePatch(sent, rules(FORMS), STRICT))).toEqual(sent.Operations);
  });

  it('refuses with 400 invalidValue a path the form does not list, a member it does not list, and a kind a name does not take', () => {
    const judge = (operation: unknown) => refusal(() => rulePatch(body(operation), rules(FORMS), LENIENT));
    expect(judge({ op: 'replace', path: 'active', value: 'False' })).toBe('invalidValue: Operation 1: PATCH here names only the paths userName, not active');
    expect(judge({ op: 'replace', value: { active: 'False' } })).toBe(
      'invalidValue: Operation 1: PATCH here takes a boolean for active in a path-less value, not a string',
    );
    expect(judge({ op: 'replace', value: { active: true, name: { givenName: 'Ana' } } })).toBe(
      'invalidValue: Operation 1: a path-less PATCH value here holds only active, not name',
    );
    expect(judge({ op: 'replace', path: 'userName', value: ['a'] })).toBe('invalidValue: Operation 1: PATCH here takes a string at path userName, not an array');
  });

  it('never shows the refused value, which may be a password', () => {
    const message = refusal(() => rulePatch(body({ op: 'replace', path: 'password', value: 'hunter2' }), rules(FORMS), STRICT));
    expect(message).not.toContain('hunter2');
    expect(refusal(() => rulePatch(body({ op: 'replace', value: { password: 'hunter2' } }), rules(FORMS), STRICT))).not.toContain('hunter2');
  });

  it('takes booleanString for "True"/"False" in any case, and no other string', () => {
    const lax = rules({ path: { active: ['boolean', 'booleanString'] }, otherwise: 'refuse' });
    expect(rulePatch(body({ op: 'replace', path: 'active', value: 'fALSE' }), lax, LENIENT).empty).toBe(false);
    expect(refusal(() => rulePatch(body({ op: 'replace', path: 'active', value: 'no' }), lax, LENIENT))).toBe(
      'invalidValue: Operation 1: PATCH here takes a boolean or a "True"/"False" string at path active, not a string',
    );
  });

  it('judges only a form it lists, and a remove by its path alone', () => {
    const pathOnly = rules({ path: { members: ['array'] }, otherwise: 'refuse' });
    const group = { ...pathOnly, coreUrn: URN.group, extensions: [] };
    const sent = body({ op: 'replace', value: { displayName: 'Platform', id: 'g1' } }, { op: 'remove', path: 'members[value eq "u1"]' }, { op: 'add', path: 'members', value: [{ value: 'u2' }] });
    expect(operations(rulePatch(sent, group, STRICT))).toEqual(sent.Operations);
    expect(refusal(() => rulePatch(body({ op: 'remove', path: 'displayName' }), group, STRICT))).toBe('invalidValue: Operation 1: PATCH here names only the paths members, not displayName');
  });

  it('refuses every path, or every path-less value, when the form lists nothing', () => {
    const none = rules({ path: {}, pathless: {}, otherwise: 'refuse' });
    expect(refusal(() => rulePatch(body({ op: 'replace', path: 'active', value: false }), none, STRICT))).toBe('invalidValue: Operation 1: PATCH here takes no path, not active');
    expect(refusal(() => rulePatch(body({ op: 'replace', value: { active: false } }), none, STRICT))).toBe(
      'invalidValue: Operation 1: PATCH here takes no path-less value, not active',
    );
  });

  it('with otherwise: ignore, drops an operation or member of another shape and applies the rest', () => {
    const ignoring = rules({ ...FORMS, otherwise: 'ignore' });
    const ruled = rulePatch(
      body({ op: 'replace', path: 'active', value: 'False' }, { op: 'replace', value: { active: false, displayName: 'Ana', title: 7 } }, { op: 'replace', path: 'userName', value: 'ana@example.com' }),
      ignoring,
      LENIENT,
    );
    expect(operations(ruled)).toEqual([{ op: 'replace', value: { active: false } }, { op: 'replace', path: 'userName', value: 'ana@example.com' }]);
    expect(rulePatch(body({ op: 'replace', value: { active: 'False' } }), ignoring, LENIENT).empty).toBe(true);
  });

  it('judges what patch.paths lets through: an ignored path or member is dropped before its shape is looked at', () => {
    const both: PatchRules = { ...rules(FORMS), paths: { apply: ['active', 'userName'], otherwise: 'ignore' } };
    const ruled = rulePatch(body({ op: 'replace', path: 'title', value: 7 }, { op: 'replace', value: { active: true, nickName: ['x'] } }), both, STRICT);
    expect(operations(ruled)).toEqual([{ op: 'replace', value: { active: true } }]);
    // A path patch.paths refuses is refused for that (mutability) before its shape.
    expect(refusal(() => rulePatch(body({ op: 'replace', path: 'title', value: 7 }), { ...both, paths: { apply: ['active'], otherwise: 'refuse' } }, STRICT))).toMatch(/^mutability: /);
  });
});

describe('refusedShape and shapeWords, as a claim names a refusal', () => {
  const first = (operation: unknown, values = FORMS, model = userModel) => {
    const refusal = refusedShape(readPatchRequest(body(operation), LENIENT)[0]!, values, model.core.id);
    return refusal && shapeWords(refusal);
  };

  it('names the path, the member, or the kind at either', () => {
    expect(first({ op: 'replace', path: 'active', value: 'False' })).toBe('path active');
    expect(first({ op: 'replace', value: { active: false, 'name.givenName': 'Ana' } })).toBe('name.givenName in a path-less value');
    expect(first({ op: 'replace', value: { active: 'False' } })).toBe('a string for active in a path-less value');
    expect(first({ op: 'replace', path: 'userName', value: null })).toBe('null at path userName');
    expect(first({ op: 'replace', value: { active: true } })).toBeUndefined();
    const groups: PatchValues = { path: { members: ['array'] }, otherwise: 'refuse' };
    expect(first({ op: 'replace', path: 'displayName', value: 'Platform' }, groups, groupModel)).toBe('path displayName');
    expect(first({ op: 'replace', value: { displayName: 'Platform' } }, groups, groupModel)).toBeUndefined();
  });
});

describe('patch.values in a profile', () => {
  it('is read per resource type, each form a mapping of names to kinds, otherwise refuse by default', () => {
    const document = readProfile({ patch: { values: { User: { path: { active: ['boolean'] } } } } }, 'p.yaml');
    expect(overlayProfile(DEFAULT_PROFILE, document).patch.values).toEqual({ User: { path: { active: ['boolean'] }, otherwise: 'refuse' } });
    expect(DEFAULT_PROFILE.patch.values).toEqual({});
  });

  it('says what is wrong with a kind, a form or otherwise', () => {
    const mistakes = (values: unknown) => {
      try {
        readProfile({ patch: { values: { User: values } } }, 'p.yaml');
      } catch (error) {
        return (error as ProfileError).problems.map((p) => `${p.path}: ${p.message}`);
      }
      return [];
    };
    expect(mistakes({ path: { active: ['boolen'] } })[0]).toBe(
      "patch.values.User.path.active[0]: must be one of boolean, booleanString, string, number, object, array, null, got \"boolen\": did you mean 'boolean'?",
    );
    expect(mistakes({ paths: {} })[0]).toMatch(/^patch\.values\.User\.paths: unknown key 'paths' in patch\.values\.User: did you mean 'path'\?/);
    expect(mistakes({ otherwise: 'drop' })[0]).toBe('patch.values.User.otherwise: must be one of refuse, ignore, got "drop"');
  });

  it('names an attribute RFC 7643 does not define', () => {
    const profile = overlayProfile(DEFAULT_PROFILE, { patch: { values: { User: { pathless: { actve: ['boolean'] }, otherwise: 'refuse' } } } });
    expect(unknownAttributeNames(profile, { User: userModel, Group: groupModel })).toEqual([
      { path: 'patch.values.User.pathless["actve"]', message: `"actve" is not an attribute of Users in RFC 7643: did you mean 'active'?` },
    ]);
  });

  it('lists booleanString only with compat.stringBooleans, which is what reads "True"/"False" as a boolean', () => {
    const profile = overlayProfile(DEFAULT_PROFILE, { patch: { values: { User: { path: { active: ['boolean', 'booleanString'] }, otherwise: 'refuse' } } } });
    expect(valueKindProblems(profile)).toEqual([
      {
        path: 'patch.values.User.path["active"]',
        message: 'lists booleanString, which needs compat.stringBooleans: true (what reads "True"/"False" as a boolean): turn it on, or take booleanString out',
      },
    ]);
    expect(valueKindProblems({ ...profile, compat: { ...STRICT, stringBooleans: true } })).toEqual([]);
  });
});
