import { afterAll, describe, expect, it } from 'vitest';
import { MAX_HOST } from '../../reference-server/http/base-url.js';
import { testServer } from './resource-helpers.js';

/**
 * Every `$ref` and `location` repeats the base URL, built from the Host header: a Host of
 * kilobytes would multiply an answer's size by the members of a group (issue 20).
 */
describe('the Host header', () => {
  const s = testServer();
  afterAll(() => s.server.close());

  it('a host name and port are answered; a longer Host gets a SCIM 400 before any work', async () => {
    const user = await s.createUser('ada@example.com');
    const group = await s.createGroup('Readers', [user.id]);
    const fits = `${'h'.repeat(MAX_HOST - 6)}:65535`;
    const ok = await s.request('GET', `/Groups/${group.id}`, undefined, { headers: { host: fits } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().members[0].$ref).toContain(fits);

    const long = await s.request('GET', `/Groups/${group.id}`, undefined, { headers: { host: 'h'.repeat(15_000) } });
    expect(long.statusCode).toBe(400);
    expect(long.json()).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '400' });
    expect(long.json().detail).toContain(`at most ${MAX_HOST}`);
    expect(long.body.length).toBeLessThan(1000);
  });
});
