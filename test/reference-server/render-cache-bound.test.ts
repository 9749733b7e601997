import { describe, expect, it } from 'vitest';
import { MAX_PAGE_CHARS, Renderer } from '../../reference-server/resources/render.js';
import { MemoryStore } from '../../reference-server/store/memory.js';
import { BASE, testServer, USER } from './resource-helpers.js';

/**
 * The cache of rendered resources is bounded in size, and keyed by the resource, not by the URL a
 * client used: a client varying the Host header cannot multiply what it holds (issue 20, finding 1).
 */
describe('the render cache', () => {
  it('holds one rendering of a 1 MB user read back under 100 Host headers', async () => {
    const s = testServer();
    const title = 'x'.repeat(1_000_000);
    const ada = await s.createUser('ada', { title });
    for (let i = 0; i < 100; i++) {
      const res = await s.get(`/Users/${ada.id}`, { headers: { host: `h${i}.example` } });
      expect(res.statusCode).toBe(200);
    }
    const { entries, chars } = s.server.renderer.cached;
    expect(entries).toBe(1);
    expect(chars).toBeGreaterThan(title.length);
    expect(chars).toBeLessThan(title.length + 2_000);
    const last = (await s.get(`/Users/${ada.id}`, { headers: { host: 'h99.example' } })).json();
    expect(last.meta.location).toBe(`http://h99.example${BASE}/Users/${ada.id}`);
  });

  it('never holds more than its limit, however many resources and names are read', async () => {
    const limit = 1024 * 1024;
    const renderer = new Renderer(new MemoryStore(), undefined, undefined, limit);
    const padding = 'p'.repeat(1_000);
    let most = 0;
    for (let i = 0; i < 10_000; i++) {
      const user = { schemas: [USER], id: `u${i % 3_000}`, userName: `u${i}`, title: padding, meta: { version: `W/"${i % 7}"` } };
      await renderer.json('User', user, `http://host-${i % 13}/scim`);
      most = Math.max(most, renderer.cached.chars);
    }
    expect(most).toBeLessThanOrEqual(limit);
    // It filled up and started over at least once.
    expect(most).toBeGreaterThan(limit - 2_000);
    expect(renderer.cached.chars).toBeLessThan(most);
  });

  it('does not keep a rendering larger than a sixteenth of its limit', async () => {
    const renderer = new Renderer(new MemoryStore(), undefined, undefined, 160_000);
    await renderer.json('User', { schemas: [USER], id: 'big', userName: 'big', title: 'x'.repeat(10_001), meta: { version: 'W/"1"' } }, 'http://h');
    expect(renderer.cached).toEqual({ entries: 0, chars: 0 });
    await renderer.json('User', { schemas: [USER], id: 'small', userName: 'small', meta: { version: 'W/"1"' } }, 'http://h');
    expect(renderer.cached.entries).toBe(1);
  });
});

describe('a page of large resources', () => {
  it(`holds fewer than count once it reaches ${MAX_PAGE_CHARS} characters, and says so in itemsPerPage`, async () => {
    const renderer = new Renderer(new MemoryStore());
    const title = 'x'.repeat(Math.ceil(MAX_PAGE_CHARS / 3));
    const page = [1, 2, 3, 4].map((n) => ({ type: 'User' as const, resource: { schemas: [USER], id: `u${n}`, userName: `u${n}`, title, meta: { version: 'W/"1"' } } }));
    const body = JSON.parse(await renderer.listJson(page, 4, 1, 'http://h', {}));
    expect(body.totalResults).toBe(4);
    expect(body.itemsPerPage).toBe(2);
    expect(body.Resources.map((r: { id: string }) => r.id)).toEqual(['u1', 'u2']);
    const alone = JSON.parse(await renderer.listJson([{ type: 'User', resource: { ...page[0]!.resource, title: 'x'.repeat(MAX_PAGE_CHARS) } }], 1, 1, 'http://h', {}));
    expect(alone.itemsPerPage).toBe(1);
  });
});
