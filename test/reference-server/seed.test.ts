import { describe, expect, it } from 'vitest';
import { createReferenceServer } from '../../reference-server/app.js';
import type { ReferenceServerOptions } from '../../reference-server/options.js';
import { createServices } from '../../reference-server/resources/service.js';
import { applySeed, loadSeed, SeedError } from '../../reference-server/seed.js';
import { LENIENT } from '../../scim/compat.js';
import { URN } from '../../scim/schema/urns.js';

const SEED = `users:
  - userName: ada@example.com
    name: { givenName: Ada, familyName: Lovelace }
    emails: [{ value: ada@example.com, type: work, primary: true }]
  - userName: grace@example.com
    ${URN.enterpriseUser}:
      department: Navy
groups:
  - displayName: Engineers
    members: [ADA@example.com, grace@example.com]
  - displayName: Everyone
    members:
      - engineers
`;

/** The message of the SeedError that `fn` throws. */
function seedError(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(SeedError);
    return (error as Error).message;
  }
  throw new Error('expected a SeedError');
}

async function seeded(text: string, options: ReferenceServerOptions = {}) {
  const server = createReferenceServer({ tokens: ['t'], ...options });
  const counts = await applySeed(createServices(server.store, server.options), loadSeed(text, 'seed.yaml'));
  return { counts, store: server.store };
}

async function applyError(text: string): Promise<string> {
  const error = await seeded(text).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SeedError);
  return (error as Error).message;
}

describe('loadSeed', () => {
  it('reads users and groups, filling in schemas and noting where each entry is', () => {
    const data = loadSeed(SEED, 'seed.yaml');
    expect(data.users.map((u) => u.where)).toEqual(['seed.yaml:2:5: users[0]', 'seed.yaml:5:5: users[1]']);
    expect(data.users[0]!.resource).toEqual({
      schemas: [URN.user],
      userName: 'ada@example.com',
      name: { givenName: 'Ada', familyName: 'Lovelace' },
      emails: [{ value: 'ada@example.com', type: 'work', primary: true }],
    });
    expect(data.users[1]!.resource.schemas).toEqual([URN.user, URN.enterpriseUser]);
    expect(data.groups[0]).toEqual({
      resource: { schemas: [URN.group], displayName: 'Engineers' },
      where: 'seed.yaml:9:5: groups[0]',
      members: [
        { name: 'ADA@example.com', where: 'seed.yaml:10:15: groups[0].members[0]' },
        { name: 'grace@example.com', where: 'seed.yaml:10:32: groups[0].members[1]' },
      ],
    });
    expect(data.groups[1]!.members).toEqual([{ name: 'engineers', where: 'seed.yaml:13:9: groups[1].members[0]' }]);
  });

  it('keeps schemas that are given', () => {
    const data = loadSeed(`users:\n  - schemas: [${URN.user}]\n    userName: ada\n`, 'seed.yaml');
    expect(data.users[0]!.resource).toEqual({ schemas: [URN.user], userName: 'ada' });
  });

  it('accepts an empty file and empty sections', () => {
    expect(loadSeed('', 'seed.yaml')).toEqual({ users: [], groups: [] });
    expect(loadSeed('# nothing yet\n', 'seed.yaml')).toEqual({ users: [], groups: [] });
    expect(loadSeed('users:\ngroups: []\n', 'seed.yaml')).toEqual({ users: [], groups: [] });
  });

  it('resolves anchors and aliases', () => {
    const data = loadSeed('users:\n  - { userName: ada, title: &t Countess }\n  - { userName: bob, title: *t }\n', 'seed.yaml');
    expect(data.users[1]!.resource.title).toBe('Countess');
  });

  it.each([
    ['a YAML syntax error', 'users:\n  - userName: [ada\n', /^seed\.yaml:\d+:\d+: Flow sequence/],
    ['a duplicated key', 'users:\n  - userName: ada\n    userName: bob\n', /^seed\.yaml:3:5: Map keys must be unique$/],
    ['a root that is not a mapping', '- userName: ada\n', /^seed\.yaml:1:1: a seed file is a mapping with a "users:" and a "groups:" list$/],
    ['an unknown top-level key', 'users: []\nuser: []\n', /^seed\.yaml:2:1: unknown key "user": a seed file has only "users:" and "groups:"$/],
    ['a section that is not a list', 'groups:\n  displayName: Engineers\n', /^seed\.yaml:2:3: "groups" must be a list of groups, each starting with "- "$/],
    ['an entry that is not a mapping', 'users:\n  - userName: ada\n  - bob\n', /^seed\.yaml:3:5: users\[1\] must be a mapping of attributes/],
    ['members that are not a list', 'groups:\n  - displayName: A\n    members: ada\n', /^seed\.yaml:3:14: groups\[0\]\.members must be a list of names/],
    ['a member given by id', 'groups:\n  - displayName: A\n    members: [{ value: 2819c223 }]\n', /^seed\.yaml:3:15: groups\[0\]\.members\[0\] must be a name: .*ids are assigned at start/],
    ['an alias to no anchor', 'users:\n  - { userName: *nobody }\n', /^seed\.yaml:2:5: users\[0\]: Unresolved alias/],
  ])('reports %s at its line and column', (_what, text, message) => {
    expect(seedError(() => loadSeed(text, 'seed.yaml'))).toMatch(message);
  });

  it('gives one-line messages', () => {
    expect(seedError(() => loadSeed('users:\n  - userName: [ada\n', 'seed.yaml'))).not.toContain('\n');
  });
});

describe('applySeed', () => {
  it('creates the users, then the groups with their members resolved by name', async () => {
    const { counts, store } = await seeded(SEED);
    expect(counts).toEqual({ users: 2, groups: 2 });
    const users = (await store.list('User', {})).resources;
    expect(users.map((u) => u.userName)).toEqual(['ada@example.com', 'grace@example.com']);
    expect(users[1]![URN.enterpriseUser]).toEqual({ department: 'Navy' });
    const [engineers, everyone] = (await store.list('Group', {})).resources;
    expect(engineers!.members).toEqual([
      { value: users[0]!.id, type: 'User' },
      { value: users[1]!.id, type: 'User' },
    ]);
    expect(everyone!.members).toEqual([{ value: engineers!.id, type: 'Group' }]);
  });

  it('reports a resource the server rejects at its entry, with the SCIM detail', async () => {
    expect(await applyError('users:\n  - userName: ada\n  - name: { givenName: Bob }\n')).toBe(
      "seed.yaml:3:5: users[1]: Attribute 'userName' is required",
    );
    expect(await applyError('users:\n  - userName: ada\n  - userName: ADA\n')).toMatch(/^seed\.yaml:3:5: users\[1\]: userName "ADA" is already taken/);
  });

  it('validates as the server is configured: strict by default, lenient on request', async () => {
    const text = 'users:\n  - { userName: ada, active: "False" }\n';
    expect(await applyError(text)).toMatch(/^seed\.yaml:2:5: users\[0\]: /);
    const { store } = await seeded(text, { compat: LENIENT });
    expect((await store.list('User', {})).resources[0]!.active).toBe(false);
  });

  it('reports a member that names nothing seeded, at the member', async () => {
    expect(await applyError('users:\n  - userName: ada\ngroups:\n  - displayName: A\n    members: [ada, bob]\n')).toBe(
      'seed.yaml:5:20: groups[0].members[1]: "bob" is neither the userName of a seeded user nor the displayName of a group listed above',
    );
  });

  it('resolves a group only when it is listed above the group naming it', async () => {
    const text = 'groups:\n  - displayName: Everyone\n    members: [Engineers]\n  - displayName: Engineers\n';
    expect(await applyError(text)).toMatch(/^seed\.yaml:3:15: groups\[0\]\.members\[0\]: "Engineers" is neither/);
  });

  it('refuses a member name that two groups share', async () => {
    const text = 'groups:\n  - displayName: Team\n  - displayName: team\n  - displayName: All\n    members: [TEAM]\n';
    expect(await applyError(text)).toBe('seed.yaml:5:15: groups[2].members[0]: two groups above are named "TEAM": rename one');
  });
});
