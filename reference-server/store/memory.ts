import { ScimError } from '../../scim/errors.js';
import { brief } from '../../scim/coerce.js';
import { matchesFilter } from '../../scim/filter/evaluate.js';
import type { Filter } from '../../scim/filter/types.js';
import { cloneJson, getKey, isObject } from '../../scim/schema/keys.js';
import type { ResourceModel } from '../../scim/schema/model.js';
import { MemoryTable, type Entry } from './memory-table.js';
import { idOf, memberIds, withoutMember } from './fields.js';
import { indexedLookups, LOOKUPS } from './required-equalities.js';
import type { GroupRef, ListQuery, ListResult, LookupIndex, Resource, ResourceTypeName, Store, TouchHook } from './types.js';

export interface MemoryStoreOptions {
  /** The model filters are evaluated with, per resource type (caseExact, extensions). Without one, the evaluator's defaults apply. */
  models?: Partial<Record<ResourceTypeName, ResourceModel>>;
  /** See TouchHook: lets the server restamp `meta` on groups the store changes by itself. */
  touch?: TouchHook;
}

function versionOf(resource: Resource): unknown {
  const meta = getKey(resource, 'meta');
  return isObject(meta) ? getKey(meta, 'version') : undefined;
}

/**
 * The in-memory Store: a table per resource type with lookup indexes, and a member index
 * (member id → ids of the groups listing it) for `groups` and delete cascades.
 * Each method completes synchronously, so each is atomic with respect to the others.
 */
export class MemoryStore implements Store {
  private readonly tables: Record<ResourceTypeName, MemoryTable> = {
    User: new MemoryTable(LOOKUPS.User),
    Group: new MemoryTable(LOOKUPS.Group),
  };
  private readonly groupsOf = new Map<string, Set<string>>();
  private readonly models: Partial<Record<ResourceTypeName, ResourceModel>>;
  private readonly touch: TouchHook | undefined;
  private seq = 0;
  /** The tail of each resource's queue of `withLock` works, by id. */
  private readonly locks = new Map<string, Promise<void>>();

  constructor(options: MemoryStoreOptions = {}) {
    this.models = options.models ?? {};
    this.touch = options.touch;
  }

  async create(type: ResourceTypeName, resource: Resource): Promise<Resource> {
    const stored = cloneJson(resource);
    const id = idOf(stored);
    if (this.tables.User.entries.has(id) || this.tables.Group.entries.has(id)) {
      throw ScimError.conflict(`A resource with id "${brief(id)}" already exists`);
    }
    if (type === 'User') this.assertUserNameFree(stored, id);
    if (type === 'Group') this.assertMembersExist(memberIds(stored));
    this.tables[type].add(id, { seq: ++this.seq, resource: stored });
    if (type === 'Group') this.touchUsers(this.indexMembers(id, new Set(), memberIds(stored)));
    return cloneJson(stored);
  }

  async get(type: ResourceTypeName, id: string): Promise<Resource | undefined> {
    const entry = this.tables[type].entries.get(id);
    return entry && cloneJson(entry.resource);
  }

  /** Stored resources are never changed in place (every change stores a new object), so a view stays as it was. */
  async view(type: ResourceTypeName, id: string): Promise<Readonly<Resource> | undefined> {
    return this.tables[type].entries.get(id)?.resource;
  }

  async replace(type: ResourceTypeName, id: string, resource: Resource, expectedVersion?: string): Promise<Resource> {
    const entry = this.existing(type, id, expectedVersion);
    const stored = cloneJson(resource);
    if (idOf(stored) !== id) throw new TypeError(`replace: the resource's id must be "${id}"`);
    if (type === 'User') this.assertUserNameFree(stored, id);
    if (type === 'Group') {
      this.assertMembersExist(memberIds(stored));
      const renamed = getKey(entry.resource, 'displayName') !== getKey(stored, 'displayName');
      const changed = this.indexMembers(id, memberIds(entry.resource), memberIds(stored));
      this.touchUsers(renamed ? new Set([...changed, ...memberIds(stored)]) : changed);
    }
    this.tables[type].update(id, entry, stored);
    return cloneJson(stored);
  }

  async delete(type: ResourceTypeName, id: string, expectedVersion?: string): Promise<void> {
    const entry = this.existing(type, id, expectedVersion);
    this.tables[type].remove(id, entry);
    if (type === 'Group') this.touchUsers(this.indexMembers(id, memberIds(entry.resource), new Set()));
    this.removeFromGroups(id);
  }

  async list(type: ResourceTypeName, query: ListQuery): Promise<ListResult> {
    const { filter, sort, budget } = query;
    let matches: Resource[];
    if (filter) {
      const model = this.models[type];
      matches = [];
      for (const entry of this.candidates(type, filter)) {
        if (matchesFilter(filter, entry.resource, model, budget)) matches.push(entry.resource);
      }
    } else {
      matches = Array.from(this.tables[type].entries.values(), (entry) => entry.resource);
    }
    // Array.prototype.sort is stable: ties keep creation order, so pages stay consistent.
    if (sort) matches.sort((a, b) => sort.compare(a, b));
    const start = Math.max(1, query.startIndex ?? 1) - 1;
    const end = query.count === undefined ? undefined : start + Math.max(0, query.count);
    // The stored objects themselves, as `view` answers: stored resources are never changed in place.
    return { totalResults: matches.length, resources: matches.slice(start, end) };
  }

  async findBy(type: ResourceTypeName, index: LookupIndex, value: string): Promise<Resource[]> {
    let found = this.tables[type].lookup(index, value);
    // The table ignores case for every index; externalId is caseExact (RFC 7643 §3.1).
    if (index === 'externalId') found = found.filter((entry) => getKey(entry.resource, index) === value);
    return found.map((entry) => cloneJson(entry.resource));
  }

  async groupsWithMember(memberId: string): Promise<GroupRef[]> {
    const groups = this.groupEntries(this.groupsOf.get(memberId));
    return groups.map((entry) => ({ id: idOf(entry.resource), displayName: getKey(entry.resource, 'displayName') }));
  }

  async clear(): Promise<void> {
    this.tables.User.clear();
    this.tables.Group.clear();
    this.groupsOf.clear();
  }

  async withLock<T>(_type: ResourceTypeName, id: string, work: (tx: Store) => Promise<T>): Promise<T> {
    const previous = this.locks.get(id);
    let release!: () => void;
    const tail = new Promise<void>((resolve) => (release = resolve));
    const queued = previous ? previous.then(() => tail) : tail;
    this.locks.set(id, queued);
    if (previous) await previous;
    try {
      return await work(this);
    } finally {
      release();
      if (this.locks.get(id) === queued) this.locks.delete(id);
    }
  }

  /**
   * The entries a filter can match: the smallest index hit among its required `eq` terms on an
   * indexed attribute (O(1) whatever the number of resources), or every entry.
   */
  private candidates(type: ResourceTypeName, filter: Filter): Iterable<Entry> {
    const table = this.tables[type];
    let best: Entry[] | undefined;
    for (const { index, value } of indexedLookups(type, filter)) {
      let hits: Entry[];
      if (index === 'id') {
        const entry = table.entries.get(value);
        hits = entry ? [entry] : [];
      } else {
        hits = table.lookup(index, value);
      }
      if (!best || hits.length < best.length) best = hits;
    }
    return best ?? table.entries.values();
  }

  private existing(type: ResourceTypeName, id: string, expectedVersion: string | undefined): Entry {
    const entry = this.tables[type].entries.get(id);
    if (!entry) throw ScimError.notFound(`${type} ${id} not found`);
    if (expectedVersion !== undefined) {
      const current = versionOf(entry.resource);
      if (current !== expectedVersion) {
        throw new ScimError(412, undefined, `${type} ${id} has changed since version ${expectedVersion}: read it again and retry`);
      }
    }
    return entry;
  }

  private assertMembersExist(ids: Iterable<string>): void {
    for (const id of ids) {
      if (!this.tables.User.entries.has(id) && !this.tables.Group.entries.has(id)) {
        throw ScimError.badRequest('invalidValue', `Member "${brief(id)}" is neither a User nor a Group here`);
      }
    }
  }

  private assertUserNameFree(user: Resource, id: string): void {
    const userName = getKey(user, 'userName');
    if (typeof userName !== 'string') return;
    const holders = this.tables.User.idsWith('userName', userName);
    if (!holders) return;
    for (const holder of holders) {
      if (holder !== id) throw ScimError.conflict(`userName "${brief(userName)}" is already taken (userName is unique, ignoring case)`);
    }
  }

  /**
   * Updates the member index for a group's new member list; returns the members added or removed.
   * A member left in no group keeps its empty set until it is deleted: removing and re-adding the
   * same key of a large Map is slow in V8 (see MemoryTable.update), and IdPs toggle memberships.
   */
  private indexMembers(groupId: string, before: Set<string>, after: Set<string>): Set<string> {
    const changed = new Set<string>();
    for (const memberId of before) {
      if (after.has(memberId)) continue;
      changed.add(memberId);
      const groups = this.groupsOf.get(memberId);
      groups?.delete(groupId);
    }
    for (const memberId of after) {
      if (before.has(memberId)) continue;
      changed.add(memberId);
      let groups = this.groupsOf.get(memberId);
      if (!groups) this.groupsOf.set(memberId, (groups = new Set()));
      groups.add(groupId);
    }
    return changed;
  }

  /**
   * A user's `groups` attribute is computed from the groups (RFC 7643 §4.1.2), so a change to a
   * group's members or name changes the users concerned: they are touched, so that their version
   * changes and an If-None-Match does not answer 304 with stale groups.
   */
  private touchUsers(ids: Iterable<string>): void {
    if (!this.touch) return;
    for (const id of ids) {
      const entry = this.tables.User.entries.get(id);
      if (!entry) continue;
      const user = { ...entry.resource };
      this.touch('User', user);
      this.tables.User.update(id, entry, user);
    }
  }

  /** The delete cascade: every group listing `memberId` loses it, and is touched. */
  private removeFromGroups(memberId: string): void {
    const groups = this.groupEntries(this.groupsOf.get(memberId));
    this.groupsOf.delete(memberId);
    for (const entry of groups) {
      const group = withoutMember(entry.resource, memberId);
      this.touch?.('Group', group);
      this.tables.Group.update(idOf(group), entry, group);
    }
  }

  private groupEntries(ids: ReadonlySet<string> | undefined): Entry[] {
    if (!ids) return [];
    const entries: Entry[] = [];
    for (const id of ids) entries.push(this.tables.Group.entries.get(id)!);
    return entries.sort((a, b) => a.seq - b.seq);
  }
}
