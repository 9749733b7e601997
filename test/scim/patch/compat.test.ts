import { describe, expect, it } from 'vitest';
import { LENIENT, STRICT, type Compat } from '../../../scim/compat.js';
import { ScimError } from '../../../scim/errors.js';
import { applyPatch } from '../../../scim/patch/apply.js';
import { groupModel, userModel } from '../../../scim/schema/index.js';
import { URN } from '../../../scim/schema/urns.js';

const patch = (...Operations: unknown[]) => ({ schemas: [URN.patchOp], Operations });
const only = (option: keyof Compat): Partial<Compat> => ({ ...STRICT, [option]: true });
const allBut = (option: keyof Compat): Partial<Compat> => ({ ...LENIENT, [option]: false });

const adele = {
  schemas: [URN.user],
  id: 'a1',
  userName: 'AdeleV@contoso.com',
  active: true,
  name: { givenName: 'Adele', familyName: 'Vance' },
  meta: { resourceType: 'User' },
};

function failsWith(fn: () => unknown, scimType: string): void {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ScimError);
    expect((error as ScimError).scimType).toBe(scimType);
    return;
  }
  throw new Error(`expected a ScimError ${scimType}`);
}

describe('caseInsensitiveOps: Entra sends Add, Replace, Remove (Entra ref §6.3)', () => {
  const body = patch({ op: 'Replace', path: 'displayName', value: 'Adele' });
  it('off: a capitalised op is invalidSyntax, with a hint', () => {
    expect(() => applyPatch(adele, body, userModel, { compat: allBut('caseInsensitiveOps') })).toThrow(/a lenient server accepts Entra's capitalised ops/);
    failsWith(() => applyPatch(adele, body, userModel), 'invalidSyntax');
  });
  it('on: applied', () => {
    expect(applyPatch(adele, body, userModel, { compat: only('caseInsensitiveOps') }).displayName).toBe('Adele');
  });
});

describe('stringBooleans: Entra deactivates with "False" (Entra ref §6.4)', () => {
  const body = patch({ op: 'replace', path: 'active', value: 'False' });
  it('off: invalidValue', () => {
    failsWith(() => applyPatch(adele, body, userModel, { compat: allBut('stringBooleans') }), 'invalidValue');
  });
  it.each(['False', 'false', 'FALSE'])('on: %s becomes false', (value) => {
    const result = applyPatch(adele, patch({ op: 'replace', path: 'active', value }), userModel, { compat: only('stringBooleans') });
    expect(result.active).toBe(false);
  });
  it('on: "True" re-enables', () => {
    const result = applyPatch({ ...adele, active: false }, patch({ op: 'replace', path: 'active', value: 'True' }), userModel, {
      compat: only('stringBooleans'),
    });
    expect(result.active).toBe(true);
  });
});

describe('dottedPathlessKeys: aadOptscim062020 path-less value object (Entra ref §6.3)', () => {
  const body = patch(
    { op: 'replace', path: 'emails[type eq "work"].value', value: 'TestMhvaes@test.microsoft.com' },
    {
      op: 'replace',
      value: {
        displayName: 'Bjfe',
        'name.givenName': 'Kkom',
        'name.familyName': 'Unua',
        [`${URN.enterpriseUser}:employeeNumber`]: 'Aklq',
      },
    },
  );
  const withEmail = { ...adele, emails: [{ type: 'work', value: 'old@contoso.com' }] };
  it('off: invalidSyntax naming the key and what a lenient server does, even with ignoreUnknownAttributes (the attribute exists)', () => {
    expect(() => applyPatch(withEmail, body, userModel, { compat: allBut('dottedPathlessKeys') })).toThrow(/name\.givenName.*a lenient server reads dotted/);
    failsWith(() => applyPatch(withEmail, body, userModel), 'invalidSyntax');
  });
  it('on: every key lands where its path points', () => {
    const result = applyPatch(withEmail, body, userModel, { compat: only('dottedPathlessKeys') });
    expect(result.displayName).toBe('Bjfe');
    expect(result.name).toEqual({ givenName: 'Kkom', familyName: 'Unua' });
    expect(result[URN.enterpriseUser]).toEqual({ employeeNumber: 'Aklq' });
    expect(result.schemas).toContain(URN.enterpriseUser);
    expect(result.emails).toEqual([{ type: 'work', value: 'TestMhvaes@test.microsoft.com' }]);
  });
});

describe('createOnFilteredPath: add/replace on a value that does not exist yet (Entra ref §6.3)', () => {
  const body = patch(
    { op: 'Add', path: 'addresses[type eq "work"].formatted', value: '18/2111' },
    { op: 'Add', path: 'addresses[type eq "work"].locality', value: 'Bellevue' },
    { op: 'Replace', path: 'emails[type eq "work"].value', value: 'AdeleV2@contoso.com' },
  );
  const lenientOps = { caseInsensitiveOps: true };
  it('off: noTarget, with a hint', () => {
    expect(() => applyPatch(adele, body, userModel, { compat: { ...allBut('createOnFilteredPath') } })).toThrow(/a lenient server creates one from the filter/);
    failsWith(() => applyPatch(adele, body, userModel, { compat: lenientOps }), 'noTarget');
  });
  it('on: creates one element per filter, and later ops land on the same element', () => {
    const result = applyPatch(adele, body, userModel, { compat: { ...lenientOps, createOnFilteredPath: true } });
    expect(result.addresses).toEqual([{ type: 'work', formatted: '18/2111', locality: 'Bellevue' }]);
    expect(result.emails).toEqual([{ type: 'work', value: 'AdeleV2@contoso.com' }]);
  });
  it('on: a filter that is not made of equalities still finds no target', () => {
    failsWith(
      () => applyPatch(adele, patch({ op: 'add', path: 'emails[value co "x"].type', value: 'work' }), userModel, { compat: only('createOnFilteredPath') }),
      'noTarget',
    );
  });
});

describe('removeWithValue: Entra legacy member removal (Entra ref §7.5)', () => {
  const group = { schemas: [URN.group], id: 'g1', displayName: 'Sales', members: [{ value: 'u1' }, { value: 'u2' }, { value: 'u3' }] };
  const body = patch({ op: 'Remove', path: 'members', value: [{ value: 'u1' }, { value: 'u3' }] });
  it('off: the value is ignored and every member is removed, as RFC 7644 §3.5.2.2 says', () => {
    const result = applyPatch(group, body, groupModel, { compat: { caseInsensitiveOps: true } });
    expect(result).not.toHaveProperty('members');
  });
  it('on: only the listed members are removed', () => {
    const result = applyPatch(group, body, groupModel, { compat: { caseInsensitiveOps: true, removeWithValue: true } });
    expect(result.members).toEqual([{ value: 'u2' }]);
  });
});

describe('complexFromScalar: the manager as a bare id (Entra ref §6.6)', () => {
  const body = patch({ op: 'Add', path: `${URN.enterpriseUser}:manager`, value: '2c2f6fb8-254f-492e-b7fe-c09c5a61c8a2' });
  it('off: invalidValue', () => {
    failsWith(() => applyPatch(adele, body, userModel, { compat: allBut('complexFromScalar') }), 'invalidValue');
  });
  it('on: becomes { value }', () => {
    const result = applyPatch(adele, body, userModel, { compat: { caseInsensitiveOps: true, complexFromScalar: true } });
    expect(result[URN.enterpriseUser]).toEqual({ manager: { value: '2c2f6fb8-254f-492e-b7fe-c09c5a61c8a2' } });
  });
});

describe('filterOnSingleComplex: manager removal by filter (Entra ref §6.3)', () => {
  const managed = {
    ...adele,
    schemas: [URN.user, URN.enterpriseUser],
    [URN.enterpriseUser]: { department: 'Retail', manager: { value: 'm1' } },
  };
  const body = patch({ op: 'remove', path: 'manager[value eq "m1"]' });
  const qualified = patch({ op: 'remove', path: `${URN.enterpriseUser}:manager[value eq "m1"]` });
  it('off: invalidPath', () => {
    failsWith(() => applyPatch(managed, qualified, userModel, { compat: allBut('filterOnSingleComplex') }), 'invalidPath');
  });
  it('on: removes the manager when the filter matches', () => {
    const result = applyPatch(managed, qualified, userModel, { compat: only('filterOnSingleComplex') });
    expect(result[URN.enterpriseUser]).toEqual({ department: 'Retail' });
  });
  it('on: an unqualified manager path is still not a core attribute', () => {
    failsWith(() => applyPatch(managed, body, userModel, { compat: only('filterOnSingleComplex') }), 'invalidPath');
  });
  it('with unqualifiedExtensionAttributes too: Entra\'s bare `manager[value eq …]` removes the manager', () => {
    const result = applyPatch(managed, body, userModel, { compat: { filterOnSingleComplex: true, unqualifiedExtensionAttributes: true } });
    expect(result[URN.enterpriseUser]).toEqual({ department: 'Retail' });
  });
});

describe('the whole lenient profile takes Entra legacy traffic as sent', () => {
  it('applies the documented legacy multi-attribute update (Entra ref §6.3)', () => {
    const body = patch(
      { op: 'Replace', path: 'displayName', value: 'Pvlo' },
      { op: 'Replace', path: 'emails[type eq "work"].value', value: 'TestBcwqnm@test.microsoft.com' },
      { op: 'Replace', path: 'name.givenName', value: 'Gtfd' },
      { op: 'Replace', path: 'name.familyName', value: 'Pkqf' },
      { op: 'Replace', path: 'externalId', value: 'Eqpj' },
      { op: 'Replace', path: `${URN.enterpriseUser}:employeeNumber`, value: 'Eqpj' },
    );
    const result = applyPatch(adele, body, userModel, { compat: LENIENT });
    expect(result).toMatchObject({
      displayName: 'Pvlo',
      externalId: 'Eqpj',
      name: { givenName: 'Gtfd', familyName: 'Pkqf' },
      emails: [{ type: 'work', value: 'TestBcwqnm@test.microsoft.com' }],
      [URN.enterpriseUser]: { employeeNumber: 'Eqpj' },
    });
  });
});
