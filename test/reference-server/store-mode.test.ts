import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../reference-server/store/memory.js';
import { PostgresStore } from '../../reference-server/store/postgres/store.js';
import { ids, testServer } from './resource-helpers.js';
import { testStore } from './store-helpers.js';

/** The switch `npm run test:pg-store` turns (store-helpers.ts): without it, the PostgreSQL mode would pass on memory unnoticed. */
describe(`the reference-server tests' store (${testStore})`, () => {
  it('is the one SCIMULATOR_TEST_STORE names, unless a test names its own', () => {
    expect(testServer().store).toBeInstanceOf(testStore === 'postgres' ? PostgresStore : MemoryStore);
    expect(testServer({ store: 'memory' }).store).toBeInstanceOf(MemoryStore);
  });

  it('is one a server: what one server holds, another does not see', async () => {
    const a = testServer();
    const b = testServer();
    const ada = await a.createUser('ada');
    await b.createUser('ada');
    expect(ids(await a.list('/Users'))).toEqual([ada.id]);
    expect(ids(await b.list('/Users'))).toHaveLength(1);
    expect(ids(await b.list('/Users'))).not.toEqual([ada.id]);
  });
});
