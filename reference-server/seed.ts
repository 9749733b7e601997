import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node, type YAMLMap } from 'yaml';
import { isScimError } from '../scim/errors.js';
import { findKey, getKey, setKey, type JsonObject } from '../scim/schema/keys.js';
import { URN } from '../scim/schema/urns.js';
import { withLenientHint } from './http/errors.js';
import type { ResourceService } from './resources/service.js';
import type { ResourceTypeName, Store } from './store/types.js';

/**
 * A seed file: users and groups loaded into the reference server at start.
 *
 *   users:
 *     - userName: ada@example.com
 *       name: { givenName: Ada, familyName: Lovelace }
 *   groups:
 *     - displayName: Engineers
 *       members: [ada@example.com]
 *
 * Each entry is a SCIM resource as a client would POST it, except that `schemas` may be left out and
 * a group's `members` are names (ids are only assigned at start): the userName of a seeded user, or
 * the displayName of a group listed above.
 */
export interface SeedData {
  users: SeedEntry[];
  groups: SeedGroup[];
}

export interface SeedEntry {
  /** The resource to create, `schemas` filled in; a group's without `members`. */
  resource: JsonObject;
  /** `file:line:col: users[2]`, which starts every error about this entry. */
  where: string;
}

export interface SeedGroup extends SeedEntry {
  members: { name: string; where: string }[];
}

/** A mistake in a seed file; the message is `file:line:col: what is wrong`. */
export class SeedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SeedError';
  }
}

type Section = 'users' | 'groups';

/** Reads positions off the parsed document, to prefix errors with `file:line:col`. */
class Locator {
  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
    private readonly fileName: string,
  ) {}

  at(node: Node | null | undefined): string {
    const start = node?.range?.[0] ?? 0;
    const { line, col } = this.lines.linePos(start);
    return `${this.fileName}:${line}:${col}`;
  }

  /** An alias stands for its anchored node; positions stay the alias's. */
  deref(node: unknown): unknown {
    return isAlias(node) ? node.resolve(this.doc) : node;
  }

  /** The entry as plain data; an alias to a missing anchor, or one expanding too far, is reported at the entry. */
  toJS(node: Node, label: string): JsonObject {
    try {
      return node.toJS(this.doc) as JsonObject;
    } catch (error) {
      return this.fail(node, `${label}: ${(error as Error).message}`);
    }
  }

  fail(node: Node | null | undefined, message: string): never {
    throw new SeedError(`${this.at(node)}: ${message}`);
  }
}

/** Parses a seed file; throws a SeedError at the first mistake. `fileName` is used in messages only. */
export function loadSeed(text: string, fileName: string): SeedData {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  // Annotated so that `locator.fail()`, which returns never, narrows the nodes checked before it.
  const locator: Locator = new Locator(doc, lines, fileName);
  const [syntax] = doc.errors;
  if (syntax) {
    const { line, col } = syntax.linePos?.[0] ?? { line: 1, col: 1 };
    // yaml appends the position and a source excerpt; the position goes in front instead.
    throw new SeedError(`${fileName}:${line}:${col}: ${syntax.message.replace(/ at line \d+, column \d+[\s\S]*$/, '')}`);
  }

  const data: SeedData = { users: [], groups: [] };
  const root = locator.deref(doc.contents);
  if (root === null || (isScalar(root) && root.value === null)) return data;
  if (!isMap(root)) locator.fail(doc.contents, 'a seed file is a mapping with a "users:" and a "groups:" list');

  for (const pair of root.items) {
    const key = isScalar(pair.key) ? pair.key.value : undefined;
    if (key !== 'users' && key !== 'groups') {
      locator.fail(pair.key as Node, `unknown key ${JSON.stringify(String(key))}: a seed file has only "users:" and "groups:"`);
    }
    const entries = locator.deref(pair.value);
    if (entries === null || (isScalar(entries) && entries.value === null)) continue;
    if (!isSeq(entries)) locator.fail(pair.value as Node, `"${key}" must be a list of ${key}, each starting with "- "`);
    entries.items.forEach((item, index) => {
      const label = `${key}[${index}]`;
      const node = locator.deref(item);
      if (!isMap(node)) {
        const example = key === 'users' ? '- userName: ada@example.com' : '- displayName: Engineers';
        locator.fail(item as Node, `${label} must be a mapping of attributes, such as "${example}"`);
      }
      const where = `${locator.at(item as Node)}: ${label}`;
      if (key === 'users') data.users.push({ resource: withSchemas(locator.toJS(node, label), 'users'), where });
      else data.groups.push(readGroup(node, locator, where, label));
    });
  }
  return data;
}

function readGroup(node: YAMLMap, locator: Locator, where: string, label: string): SeedGroup {
  const resource = withSchemas(locator.toJS(node, label), 'groups');
  const membersKey = findKey(resource, 'members');
  if (membersKey === undefined) return { resource, where, members: [] };
  delete resource[membersKey];

  const pair = node.items.find((p) => isScalar(p.key) && p.key.value === membersKey)!;
  const list = locator.deref(pair.value);
  if (isScalar(list) && list.value === null) return { resource, where, members: [] };
  if (!isSeq(list)) locator.fail(pair.value as Node, `${label}.members must be a list of names, such as [ada@example.com]`);
  const members = list.items.map((item, index) => {
    const value = locator.deref(item);
    if (!isScalar(value) || typeof value.value !== 'string') {
      locator.fail(
        item as Node,
        `${label}.members[${index}] must be a name: the userName of a seeded user or the displayName of a group listed above (ids are assigned at start)`,
      );
    }
    return { name: value.value, where: `${locator.at(item as Node)}: ${label}.members[${index}]` };
  });
  return { resource, where, members };
}

/** `schemas` is the core URN, plus the enterprise extension's when its attributes are given. */
function withSchemas(resource: JsonObject, section: Section): JsonObject {
  if (findKey(resource, 'schemas') !== undefined) return resource;
  const schemas: string[] = [section === 'users' ? URN.user : URN.group];
  if (section === 'users' && findKey(resource, URN.enterpriseUser) !== undefined) schemas.push(URN.enterpriseUser);
  return { schemas, ...resource };
}

export type SeedServices = Record<ResourceTypeName, Pick<ResourceService, 'create'>>;

/**
 * Creates the users, then the groups, through the services, so that a seed is validated exactly as
 * a POST would be. Throws a SeedError pointing at the entry the server rejected. Then `store`, the
 * services' store, analyzes what was loaded (a database plans on empty-table statistics otherwise).
 */
export async function applySeed(services: SeedServices, data: SeedData, store?: Pick<Store, 'analyze'>): Promise<{ users: number; groups: number }> {
  // userName and displayName are caseExact false (RFC 7643 §4.1.1, §4.2); null marks a displayName two groups share.
  const userIds = new Map<string, string>();
  const groupIds = new Map<string, string | null>();

  for (const user of data.users) {
    const created = await create(services.User, user.resource, user.where);
    userIds.set(String(getKey(created, 'userName')).toLowerCase(), String(created.id));
  }
  for (const group of data.groups) {
    const members = group.members.map(({ name, where }) => {
      const key = name.toLowerCase();
      const id = userIds.get(key) ?? groupIds.get(key);
      if (id === null) throw new SeedError(`${where}: two groups above are named "${name}": rename one`);
      if (id === undefined) {
        throw new SeedError(`${where}: "${name}" is neither the userName of a seeded user nor the displayName of a group listed above`);
      }
      return { value: id };
    });
    const resource = { ...group.resource };
    if (members.length > 0) setKey(resource, 'members', members);
    const created = await create(services.Group, resource, group.where);
    const name = getKey(created, 'displayName');
    if (typeof name === 'string') {
      const key = name.toLowerCase();
      groupIds.set(key, groupIds.has(key) ? null : String(created.id));
    }
  }
  await store?.analyze?.();
  return { users: data.users.length, groups: data.groups.length };
}

async function create(service: Pick<ResourceService, 'create'>, resource: JsonObject, where: string): Promise<JsonObject> {
  try {
    return await service.create(resource);
  } catch (error) {
    if (isScimError(error)) throw new SeedError(`${where}: ${withLenientHint(error).detail}`);
    throw error;
  }
}
