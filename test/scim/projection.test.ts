import { describe, expect, it } from 'vitest';
import { parseAttrPath } from '../../scim/path/parse.js';
import type { AttrPath } from '../../scim/path/types.js';
import { project } from '../../scim/projection.js';
import { defineAttribute } from '../../scim/schema/common.js';
import { cloneJson, type JsonObject } from '../../scim/schema/keys.js';
import { groupModel, userModel } from '../../scim/schema/index.js';
import { ResourceModel } from '../../scim/schema/model.js';
import { URN } from '../../scim/schema/urns.js';
import { RFC7643_ENTERPRISE_USER, RFC7643_GROUP } from '../fixtures/rfc7643-examples.js';

const paths = (...texts: string[]): AttrPath[] => texts.map((text) => parseAttrPath(text));
const resource = RFC7643_ENTERPRISE_USER as JsonObject;
const ENTERPRISE_PREFIX = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0';

describe('default representation', () => {
  const out = project(resource, userModel, {});

  it('returns default and always attributes, never the password', () => {
    expect(out.id).toBe(resource.id);
    expect(out.schemas).toEqual(resource.schemas);
    expect(out.userName).toBe('bjensen@example.com');
    expect(out.meta).toEqual(resource.meta);
    expect(out[URN.enterpriseUser]).toEqual(resource[URN.enterpriseUser]);
    expect(out).not.toHaveProperty('password');
  });

  it('returns a new object and leaves the resource alone', () => {
    expect(out.emails).toEqual(resource.emails);
    expect(out.emails).not.toBe(resource.emails);
    expect(out.name).not.toBe(resource.name);
  });

  it('leaves out attributes no schema defines', () => {
    expect(project({ ...cloneJson(resource), favouriteColour: 'blue' }, userModel, {})).not.toHaveProperty('favouriteColour');
  });
});

describe('attributes', () => {
  it('returns only what is named, plus id and schemas', () => {
    expect(project(resource, userModel, { attributes: paths('userName') })).toEqual({
      schemas: resource.schemas,
      id: resource.id,
      userName: 'bjensen@example.com',
    });
  });

  it('never returns the password, even when named', () => {
    expect(project(resource, userModel, { attributes: paths('password', 'userName') })).not.toHaveProperty('password');
  });

  it('selects sub-attributes', () => {
    const out = project(resource, userModel, { attributes: paths('name.givenName', 'emails.value', 'meta.lastModified') });
    expect(out.name).toEqual({ givenName: 'Barbara' });
    expect(out.emails).toEqual([{ value: 'bjensen@example.com' }, { value: 'babs@jensen.org' }]);
    expect(out.meta).toEqual({ lastModified: '2011-05-13T04:42:34Z' });
  });

  it('matches names case-insensitively', () => {
    expect(project(resource, userModel, { attributes: paths('USERNAME', 'Name.FamilyName') })).toMatchObject({
      userName: 'bjensen@example.com',
      name: { familyName: 'Jensen' },
    });
  });

  it('selects a whole extension by its URN', () => {
    const out = project(resource, userModel, { attributes: [parseAttrPath(URN.enterpriseUser)] });
    expect(out).toEqual({ schemas: resource.schemas, id: resource.id, [URN.enterpriseUser]: resource[URN.enterpriseUser] });
  });

  it('selects one extension attribute, or one of its sub-attributes, by URN-qualified name', () => {
    expect(project(resource, userModel, { attributes: paths(`${URN.enterpriseUser}:department`) })).toEqual({
      schemas: resource.schemas,
      id: resource.id,
      [URN.enterpriseUser]: { department: 'Tour Operations' },
    });
    expect(project(resource, userModel, { attributes: paths(`${URN.enterpriseUser}:manager.displayName`) })[URN.enterpriseUser]).toEqual({
      manager: { displayName: 'John Smith' },
    });
    expect(project(resource, userModel, { attributes: [{ uri: ENTERPRISE_PREFIX, attr: 'User', subAttr: 'costCenter' }] })[URN.enterpriseUser]).toEqual({
      costCenter: '4130',
    });
  });

  it('accepts core attributes qualified with the core URN', () => {
    expect(project(resource, userModel, { attributes: paths(`${URN.user}:displayName`) }).displayName).toBe('Babs Jensen');
  });

  it('drops an extension left empty and ignores unknown names', () => {
    const out = project(resource, userModel, { attributes: paths('nickName', 'shoeSize', `${URN.enterpriseUser}:nope`) });
    expect(out).toEqual({ schemas: resource.schemas, id: resource.id, nickName: 'Babs' });
  });
});

describe('excludedAttributes', () => {
  it('removes what is named and keeps the rest of the default set', () => {
    const out = project(resource, userModel, { excludedAttributes: paths('emails', 'name.givenName', 'meta') });
    expect(out).not.toHaveProperty('emails');
    expect(out).not.toHaveProperty('meta');
    expect(out.name).not.toHaveProperty('givenName');
    expect(out.name).toHaveProperty('familyName', 'Jensen');
    expect(out.userName).toBe('bjensen@example.com');
    expect(out).not.toHaveProperty('password');
  });

  it('cannot remove id or schemas (returned "always")', () => {
    const out = project(resource, userModel, { excludedAttributes: paths('id', 'schemas', 'userName') });
    expect(out.id).toBe(resource.id);
    expect(out.schemas).toEqual(resource.schemas);
    expect(out).not.toHaveProperty('userName');
  });

  it('removes a whole extension or one of its attributes', () => {
    expect(project(resource, userModel, { excludedAttributes: [parseAttrPath(URN.enterpriseUser)] })).not.toHaveProperty(URN.enterpriseUser);
    const out = project(resource, userModel, { excludedAttributes: paths(`${URN.enterpriseUser}:manager`) });
    expect(out[URN.enterpriseUser]).not.toHaveProperty('manager');
    expect(out[URN.enterpriseUser]).toHaveProperty('department');
  });

  it('removes group members (the usual way to fetch a big group)', () => {
    const out = project(RFC7643_GROUP as JsonObject, groupModel, { excludedAttributes: paths('members') });
    expect(out).toEqual({ schemas: RFC7643_GROUP.schemas, id: RFC7643_GROUP.id, displayName: 'Tour Guides', meta: RFC7643_GROUP.meta });
  });

  it('is ignored when attributes is given too', () => {
    expect(project(resource, userModel, { attributes: paths('userName'), excludedAttributes: paths('userName') }).userName).toBe('bjensen@example.com');
  });
});

describe('returned characteristics of custom schemas', () => {
  const model = new ResourceModel(
    { id: 'Thing', name: 'Thing', endpoint: '/Things', description: '', schema: 'urn:example:Thing', schemaExtensions: [] },
    [
      {
        id: 'urn:example:Thing',
        name: 'Thing',
        description: '',
        attributes: [
          defineAttribute('label', { returned: 'always' }),
          defineAttribute('secret', { returned: 'request' }),
          defineAttribute('plain', {}),
          defineAttribute('box', {
            type: 'complex',
            subAttributes: [
              defineAttribute('a', {}),
              defineAttribute('b', { returned: 'always' }),
              defineAttribute('c', { returned: 'request' }),
              defineAttribute('d', { returned: 'never' }),
            ],
          }),
        ],
      },
    ],
  );
  const thing = { schemas: ['urn:example:Thing'], id: 't', label: 'L', secret: 'S', plain: 'P', box: { a: 1, b: 2, c: 3, d: 4 } };

  it('"request" only when named, "always" always', () => {
    expect(project(thing, model, {})).toEqual({ schemas: thing.schemas, id: 't', label: 'L', plain: 'P', box: { a: 1, b: 2 } });
    expect(project(thing, model, { attributes: paths('secret') })).toEqual({ schemas: thing.schemas, id: 't', label: 'L', secret: 'S' });
    expect(project(thing, model, { excludedAttributes: paths('label', 'box.b', 'box.a') })).toEqual({
      schemas: thing.schemas,
      id: 't',
      label: 'L',
      plain: 'P',
      box: { b: 2 },
    });
  });

  it('applies the same rules to sub-attributes', () => {
    expect(project(thing, model, { attributes: paths('box.c', 'box.d') }).box).toEqual({ b: 2, c: 3 });
    expect(project(thing, model, { attributes: paths('box') }).box).toEqual({ a: 1, b: 2 });
  });
});
