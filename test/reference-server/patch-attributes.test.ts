import { describe, expect, it } from 'vitest';
import { LENIENT } from '../../scim/compat.js';
import { ENTERPRISE, expectScimError, patchBody, testServer, USER } from './resource-helpers.js';

const CUSTOM = 'urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User';

describe('PATCH with a whole extension URN as the path (RFC 7644 §3.5.2, §3.10)', () => {
  it.each([
    ['strict', {}],
    ['lenient', { compat: LENIENT }],
  ])('%s: add creates the extension, replace changes the members given, remove clears it and its schema', async (_mode, options) => {
    const s = testServer(options);
    const user = await s.createUser('ada');
    const url = `/Users/${user.id}`;

    const added = await s.patch(url, patchBody({ op: 'add', path: ENTERPRISE, value: { employeeNumber: '701984', department: 'Tour Operations' } }));
    expect(added.statusCode, added.body).toBe(200);
    expect(added.json().schemas).toEqual([USER, ENTERPRISE]);
    expect(added.json()[ENTERPRISE]).toEqual({ employeeNumber: '701984', department: 'Tour Operations' });

    const replaced = await s.patch(url, patchBody({ op: 'replace', path: ENTERPRISE, value: { department: 'Sales' } }));
    expect(replaced.statusCode, replaced.body).toBe(200);
    expect(replaced.json()[ENTERPRISE]).toEqual({ employeeNumber: '701984', department: 'Sales' });

    const removed = await s.patch(url, patchBody({ op: 'remove', path: ENTERPRISE }));
    expect(removed.statusCode, removed.body).toBe(200);
    const read = (await s.get(url)).json();
    expect(read.schemas).toEqual([USER]);
    expect(read[ENTERPRISE]).toBeUndefined();
    expect(read.userName).toBe('ada');
  });
});

describe('attributes no schema defines: PATCH answers as POST and PUT do', () => {
  it('strict: an unknown key in a path-less value is 400 invalidSyntax naming it, like PUT, and changes nothing', async () => {
    const s = testServer();
    const user = await s.createUser('ada');
    const url = `/Users/${user.id}`;
    const fromPatch = expectScimError(await s.patch(url, patchBody({ op: 'add', value: { displayName: 'Ada', shoeSize: 42 } })), 400, 'invalidSyntax');
    expect(fromPatch.detail).toContain("'shoeSize'");
    const fromPut = expectScimError(await s.put(url, { schemas: [USER], userName: 'ada', shoeSize: 42 }), 400, 'invalidSyntax');
    expect(fromPut.detail).toContain("'shoeSize'");
    expectScimError(await s.patch(url, patchBody({ op: 'add', path: ENTERPRISE, value: { shoeSize: 42 } })), 400, 'invalidSyntax');
    expect((await s.get(url)).json()).toEqual(user);
  });

  it('strict: a path naming no attribute stays 400 invalidPath', async () => {
    const s = testServer();
    const user = await s.createUser('ada');
    expectScimError(await s.patch(`/Users/${user.id}`, patchBody({ op: 'add', path: `${CUSTOM}:costCode`, value: 'x' })), 400, 'invalidPath');
  });

  it('lenient: unknown keys and paths are dropped from PATCH as from POST and PUT; the rest applies', async () => {
    const s = testServer({ compat: LENIENT });
    const created = await s.post('/Users', { schemas: [USER], userName: 'ada', shoeSize: 42, [CUSTOM]: { costCode: 'x' } });
    expect(created.statusCode, created.body).toBe(201);
    const user = created.json();
    const url = `/Users/${user.id}`;
    const put = await s.put(url, { schemas: [USER], userName: 'ada', shoeSize: 42, [CUSTOM]: { costCode: 'x' } });
    expect(put.statusCode, put.body).toBe(200);

    // Entra's custom extension attributes arrive as paths and as path-less keys (Entra ref §6.2, §6.3).
    const patched = await s.patch(
      url,
      patchBody(
        { op: 'Add', path: `${CUSTOM}:costCode`, value: 'x' },
        { op: 'replace', value: { displayName: 'Ada', shoeSize: 42, [`${CUSTOM}:costCode`]: 'x', name: { givenName: 'Ada', shoeSize: 42 } } },
        { op: 'add', path: ENTERPRISE, value: { department: 'R&D', shoeSize: 42 } },
        { op: 'Remove', path: 'name.shoeSize' },
      ),
    );
    expect(patched.statusCode, patched.body).toBe(200);
    const read = (await s.get(url)).json();
    expect(read).toMatchObject({ userName: 'ada', displayName: 'Ada', name: { givenName: 'Ada' }, [ENTERPRISE]: { department: 'R&D' } });
    expect(JSON.stringify(read)).not.toMatch(/shoeSize|costCode|CustomExtensionName/);
  });
});
