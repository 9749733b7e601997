import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createReferenceServer } from '../../reference-server/app.js';
import { bundledProfileNames, bundledVariationNames, loadProfile } from '../../reference-server/profile/load.js';
import { profileSchemaText } from '../../reference-server/profile/write-schema.js';
import { VARIATION_NAMES, VARIATIONS, type Variation } from '../../reference-server/variations.js';
import { LENIENT } from '../../scim/compat.js';
import { DEFAULT_PROFILE, readProfile } from '../../scim/profile/index.js';
import { URN } from '../../scim/schema/urns.js';
import { expectScimError, GROUP, patchBody, SEARCH, testServer, USER, type Json, type TestServer } from './resource-helpers.js';

const PROFILES = fileURLToPath(new URL('../../profiles/', import.meta.url));

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? yamlFiles(join(dir, entry.name)) : entry.name.endsWith('.yaml') ? [join(dir, entry.name)] : [],
  );
}

describe('the bundled profiles', () => {
  const schema = JSON.parse(readFileSync(join(PROFILES, 'profile.schema.json'), 'utf8'));
  const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);

  it('profile.schema.json is the one the format makes (npx tsx reference-server/profile/write-schema.ts)', () => {
    expect(readFileSync(join(PROFILES, 'profile.schema.json'), 'utf8')).toBe(profileSchemaText());
  });

  it.each(yamlFiles(PROFILES).map((file) => [file.slice(PROFILES.length), file]))('%s is valid against the schema and the reader, and resolves', (name, file) => {
    const data = parse(readFileSync(file, 'utf8'));
    expect(validate(data), JSON.stringify(validate.errors)).toBe(true);
    expect(() => readProfile(data, name)).not.toThrow();
    expect(() => createReferenceServer({ tokens: ['t'], profile: file })).not.toThrow();
  });

  it('are listed by name: strict and lenient first, then the variations', () => {
    expect(bundledProfileNames().slice(0, 2)).toEqual(['strict', 'lenient']);
    expect(bundledVariationNames().sort()).toEqual([...VARIATION_NAMES].sort());
  });

  it('strict is the built-in defaults, lenient is compat LENIENT over it', () => {
    const strict = loadProfile('strict');
    expect({ ...strict, name: DEFAULT_PROFILE.name, description: DEFAULT_PROFILE.description, refs: [] }).toEqual(DEFAULT_PROFILE);
    const lenient = loadProfile('lenient');
    expect(lenient.compat).toEqual(LENIENT);
    expect({ ...lenient, compat: strict.compat, name: 'strict', description: strict.description, refs: strict.refs }).toEqual(strict);
  });

  it.each(VARIATION_NAMES.map((name) => [name]))('variation %s cites the RFC section that allows it, and describes itself', (name) => {
    const text = readFileSync(join(PROFILES, 'variations', `${name}.yaml`), 'utf8');
    expect(text).toMatch(/^# .*RFC 764[34] §\d/m);
    expect(VARIATIONS[name as Variation].length).toBeGreaterThan(20);
    expect(loadProfile(name).refs.some((ref) => /^RFC 764[34] §/.test(ref))).toBe(true);
  });
});

describe('docs/profiles.md', () => {
  const text = readFileSync(fileURLToPath(new URL('../../docs/profiles.md', import.meta.url)), 'utf8');
  const blocks = [...text.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);

  it.each(blocks.map((block, i) => [i + 1, block]))('example %i is a profile a server takes', (_i, block) => {
    const document = parse(block as string) ?? {};
    expect(() => createReferenceServer({ tokens: ['t'], basic: [{ user: 'u', password: 'p' }], profile: document })).not.toThrow();
  });

  it('documents every field of the format', () => {
    for (const section of Object.keys((JSON.parse(profileSchemaText()) as { properties: object }).properties)) expect(text).toContain(`\`${section}\``);
  });
});

/**
 * One script of requests that meets every variation's behaviour: run against `variations: [name]`
 * and `profile: name`, the answers must be the same, ids aside.
 */
async function script(s: TestServer): Promise<unknown[]> {
  const answers: unknown[] = [];
  const record = (res: { statusCode: number; body: string; headers: Record<string, unknown> }) => {
    answers.push([res.statusCode, res.headers['content-type'], res.body]);
    return res.body === '' ? {} : (JSON.parse(res.body) as Json);
  };
  const ada = record(await s.post('/Users', { schemas: [USER], userName: 'ada', title: 'Countess', groups: [], password: 'first-Secret1' }));
  record(await s.post('/Users', { schemas: [USER], userName: 'ADA' }));
  record(await s.post('/Users', { schemas: [USER], userName: 'bob', shoeSize: 9 }));
  record(await s.post('/Groups', { schemas: [GROUP], displayName: 'Engineers', members: [{ value: ada.id, display: 'Someone' }] }));
  record(await s.patch(`/Users/${ada.id}`, patchBody({ op: 'replace', path: 'displayName', value: 'Ada' })));
  record(await s.put(`/Users/${ada.id}`, { schemas: [USER], userName: 'ada', password: 'other-Secret2' }));
  record(await s.put(`/Users/${ada.id}`, { schemas: [USER], userName: 'ada', nickName: 'A' }));
  record(await s.get(`/Users/${ada.id}`));
  record(await s.list('/Users', { filter: 'userName sw "a"' }));
  record(await s.list('/Users', { filter: 'userName eq "ada" and active eq true' }));
  record(await s.post('/Users/.search', { schemas: [SEARCH], filter: 'userName eq "ada"' }));
  record(await s.post('/.search', { schemas: [SEARCH], filter: 'userName eq "ada"' }));
  record(await s.post('/Bulk', { schemas: [URN.bulkRequest], Operations: [{ method: 'POST', path: '/Users', bulkId: 'c', data: { schemas: [USER], userName: 'carol', active: 'yes' } }] }));
  record(await s.get('/ServiceProviderConfig'));
  record(await s.get(`/Schemas/${USER}`));
  record(await s.get('/ResourceTypes'));
  return answers;
}

/** The answers with every id replaced by its order of appearance. */
function normalized(answers: unknown[]): string {
  const text = JSON.stringify(answers);
  const seen = new Map<string, string>();
  return text.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, (id) => {
    if (!seen.has(id)) seen.set(id, `id-${seen.size}`);
    return seen.get(id)!;
  });
}

describe('each variation is its profile', () => {
  it.each(VARIATION_NAMES.map((name) => [name]))('%s: the variation option and the profile answer alike', async (name) => {
    const viaOption = normalized(await script(testServer({ variations: [name as Variation] })));
    const viaProfile = normalized(await script(testServer({ profile: name })));
    expect(viaProfile).toBe(viaOption);
    // And the variation does change something.
    expect(viaProfile).not.toBe(normalized(await script(testServer())));
  });

  it('behaves as the variation tests say, by profile name', async () => {
    const patch204 = testServer({ profile: 'patch-204' });
    const user = await patch204.createUser('ada');
    expect((await patch204.patch(`/Users/${user.id}`, patchBody({ op: 'replace', path: 'displayName', value: 'Ada' }))).statusCode).toBe(204);

    const noScimType = testServer({ profile: 'no-scim-type' });
    expectScimError(await noScimType.post('/Users', { schemas: [USER], userName: 'bob', shoeSize: 9 }), 400, undefined);
    expectScimError(await noScimType.list('/Users', { filter: 'userName regex "a"' }), 400, 'invalidFilter');

    const minimal = testServer({ profile: 'minimal-user-schema' });
    const names = (await minimal.get(`/Schemas/${USER}`)).json().attributes.map((a: Json) => a.name);
    expect(names).toEqual(['userName', 'displayName', 'active', 'emails', 'groups']);

    expect((await testServer({ profile: 'display-name-default' }).createUser('ada')).displayName).toBe('ada');

    const keeps = testServer({ profile: 'put-keeps-omitted' });
    const kept = await keeps.createUser('ada', { title: 'Countess' });
    expect((await keeps.put(`/Users/${kept.id}`, { schemas: [USER], userName: 'ada' })).json().title).toBe('Countess');

    const noGroups = testServer({ profile: 'no-user-groups' });
    expect((await noGroups.get(`/Schemas/${USER}`)).json().attributes.map((a: Json) => a.name)).not.toContain('groups');

    const computed = testServer({ profile: 'computed-member-display' });
    const bob = await computed.createUser('bob');
    expect((await computed.createGroup('G', [], { members: [{ value: bob.id, display: 'Bobby' }] })).members[0].display).toBe('bob');

    const eqAnd = testServer({ profile: 'eq-and-filters' });
    expect(expectScimError(await eqAnd.list('/Users', { filter: 'title pr' }), 400, 'invalidFilter').detail).toContain('only "eq" and "and"');

    const noSearch = testServer({ profile: 'no-search' });
    expect(expectScimError(await noSearch.post('/Users/.search', { schemas: [SEARCH] }), 404).detail).toBe('No endpoint at POST /scim/v2/Users/.search');

    const minimalSpc = testServer({ profile: 'minimal-spc' });
    expect((await minimalSpc.get('/ServiceProviderConfig')).json().bulk).toEqual({ supported: false });
    expectScimError(await minimalSpc.post('/Bulk', { schemas: [URN.bulkRequest], Operations: [] }), 501);
  });
});
