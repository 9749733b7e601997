import { describe, expect, it } from 'vitest';
import { createReferenceServer } from '../../reference-server/app.js';
import { MAX_RESOURCE_BYTES } from '../../scim/resource-limits.js';
import { expectScimError, patchBody, testServer, USER, type Json } from './resource-helpers.js';

/**
 * A write that would make a resource larger than the server keeps, or one of its attributes
 * longer, is refused (RFC 7644 §3.12, 400 invalidValue), so that whatever is stored can still be
 * read (issue 20, finding 3).
 */

const BULK = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';

/** The user's emails grown by one value of `size` characters. */
const addEmail = (i: number, size: number) => patchBody({ op: 'add', path: 'emails', value: [{ value: `${i}-${'e'.repeat(size)}@example.com`, type: 'other' }] });

describe('resource limits on write', () => {
  it(`refuses the PATCH add that would take a user past ${MAX_RESOURCE_BYTES} bytes, and the user is still read`, async () => {
    const s = testServer();
    const ada = await s.createUser('ada');
    let refused: Json | undefined;
    let added = 0;
    for (let i = 0; i < 20 && refused === undefined; i++) {
      const res = await s.patch(`/Users/${ada.id}`, addEmail(i, 600_000));
      if (res.statusCode === 200) added++;
      else refused = expectScimError(res, 400, 'invalidValue');
    }
    expect(added).toBe(6);
    expect(refused?.detail).toMatch(new RegExp(`^The User would take \\d+ bytes of JSON, more than the ${MAX_RESOURCE_BYTES} this server keeps for one resource$`));
    const read = await s.get(`/Users/${ada.id}`);
    expect(read.statusCode).toBe(200);
    expect(read.json().emails).toHaveLength(6);
    const listed = await s.list('/Users');
    expect(listed.statusCode).toBe(200);
    expect(listed.json().Resources[0].emails).toHaveLength(6);
    // Removing values makes room again.
    expect((await s.patch(`/Users/${ada.id}`, patchBody({ op: 'remove', path: 'emails[type eq "other"]' }))).statusCode).toBe(200);
    expect((await s.patch(`/Users/${ada.id}`, addEmail(99, 600_000))).statusCode).toBe(200);
  });

  it('refuses a PATCH add beyond the values one attribute keeps, naming the attribute and the limit', async () => {
    const s = testServer({ resources: { maxValues: 20 } });
    const ada = await s.createUser('ada');
    const ten = (from: number) => patchBody({ op: 'add', path: 'emails', value: Array.from({ length: 10 }, (_, i) => ({ value: `a${from + i}@example.com` })) });
    expect((await s.patch(`/Users/${ada.id}`, ten(0))).statusCode).toBe(200);
    expect((await s.patch(`/Users/${ada.id}`, ten(10))).statusCode).toBe(200);
    const body = expectScimError(await s.patch(`/Users/${ada.id}`, ten(20)), 400, 'invalidValue');
    expect(body.detail).toBe("Attribute 'emails' would hold 30 values, more than the 20 this server keeps in one attribute");
    expect((await s.get(`/Users/${ada.id}`)).json().emails).toHaveLength(20);
    const members = Array.from({ length: 21 }, () => ({ value: ada.id }));
    expectScimError(await s.post('/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'G', members }), 400, 'invalidValue');
  });

  it('applies to POST, PUT and each operation of a Bulk request', async () => {
    const s = testServer({ resources: { maxBytes: 2_000 } });
    const big = 'b'.repeat(2_000);
    expect(expectScimError(await s.post('/Users', { schemas: [USER], userName: 'big', title: big }), 400, 'invalidValue').detail).toMatch(/more than the 2000 this server keeps/);
    const ada = await s.createUser('ada');
    expectScimError(await s.put(`/Users/${ada.id}`, { schemas: [USER], userName: 'ada', title: big }), 400, 'invalidValue');
    const bulk = await s.post('/Bulk', {
      schemas: [BULK],
      Operations: [
        { method: 'PATCH', path: `/Users/${ada.id}`, data: patchBody({ op: 'add', path: 'title', value: big }) },
        { method: 'PATCH', path: `/Users/${ada.id}`, data: patchBody({ op: 'add', path: 'title', value: 'Countess' }) },
      ],
    });
    expect(bulk.statusCode).toBe(200);
    expect(bulk.json().Operations.map((op: Json) => op.status)).toEqual(['400', '200']);
    expect((await s.get(`/Users/${ada.id}`)).json().title).toBe('Countess');
  });

  it('refuses limits that are not positive integers', () => {
    expect(() => createReferenceServer({ tokens: ['t'], resources: { maxBytes: 0 } })).toThrow(/resources.maxBytes must be a positive integer/);
    expect(() => createReferenceServer({ tokens: ['t'], resources: { maxValues: 2.5 } })).toThrow(/resources.maxValues must be a positive integer/);
  });
});
