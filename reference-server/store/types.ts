import type { FilterBudget } from '../../scim/filter/budget.js';
import type { Filter } from '../../scim/filter/types.js';
import type { AttrPath } from '../../scim/path/types.js';

/** The resource types the reference server serves. */
export type ResourceTypeName = 'User' | 'Group';

/**
 * A resource as plain JSON, fully formed by the server layer (`schemas`, `id`, `meta`…). The store
 * reads only `id`, `meta.version`, `userName`, `externalId`, `displayName` and `members[].value`.
 */
export type Resource = Record<string, unknown>;

export interface SortOption {
  /** The attribute sorted on, for a store that sorts by itself (SQL `ORDER BY`). */
  path: AttrPath;
  order: 'ascending' | 'descending';
  /**
   * Orders two resources as requested, order and caseExact included. The caller supplies it so
   * that a store needs no schema; the memory store sorts with it (a stable sort: ties keep the
   * default order).
   */
  compare(a: Resource, b: Resource): number;
}

export interface ListQuery {
  /** Evaluated with the resource type's model, so caseExact is honoured. */
  filter?: Filter;
  /** What evaluating the filter may spend: a store that evaluates it itself spends from it, and lets its 400 tooMany through. */
  budget?: FilterBudget;
  sort?: SortOption;
  /** 1-based index of the first result, already clamped to ≥ 1 by the caller (RFC 7644 §3.4.2.4). Default 1. */
  startIndex?: number;
  /** The most resources to return; 0 returns only `totalResults`. Default: all. */
  count?: number;
}

export interface ListResult {
  /** How many resources match the filter, whatever the page. */
  totalResults: number;
  /** The page, in sort order, or in creation order when unsorted (stable across pages); to read only, as from `view`. */
  resources: readonly Readonly<Resource>[];
}

/** What a user's `groups` attribute needs of a group (RFC 7643 §4.1.2), without copying its members. */
export interface GroupRef {
  id: string;
  displayName: unknown;
}

/** The secondary lookups a store indexes. `userName` and `displayName` ignore case; `externalId` does not (RFC 7643 §3.1). */
export type LookupIndex = 'userName' | 'externalId' | 'displayName';

/**
 * Where the reference server keeps its resources. Async so that a PostgreSQL store can implement it.
 *
 * Contract:
 * - Resources go in and come out as copies: a caller may change what it passed or got back
 *   (except from `view` and `list`, whose answers it only reads: a page of large resources is not copied).
 * - `meta.version` changes whenever anything a client sees of the resource does, a User's
 *   computed `groups` included (the server's TouchHook): responses are cached by version.
 * - `userName` is unique among Users, ignoring case: `create`/`replace` throw a 409 `uniqueness` ScimError.
 * - Ids are unique across resource types, so that a group member's `value` names one resource.
 * - `expectedVersion`, when given, must equal the stored `meta.version`, or the call throws a 412 ScimError.
 * - A group's `members[].value` must each name a stored resource: `create`/`replace` throw 400
 *   `invalidValue` otherwise (the server checks first; the store closes the race with a delete).
 * - Deleting any resource removes it from the `members` of every group, in the same operation.
 */
export interface Store {
  /** Adds `resource`; throws 409 `uniqueness` if its id or (for a User) its userName is taken. */
  create(type: ResourceTypeName, resource: Resource): Promise<Resource>;
  /** The resource, or undefined when there is none with this id. */
  get(type: ResourceTypeName, id: string): Promise<Resource | undefined>;
  /**
   * Like `get`, but may answer the stored resource itself rather than a copy: the caller only
   * reads it (a GET's response), and saves a copy on the busiest path of the server.
   */
  view(type: ResourceTypeName, id: string): Promise<Readonly<Resource> | undefined>;
  /** Replaces the whole resource; throws 404 when absent, 412 on a version mismatch, 409 on a userName clash. */
  replace(type: ResourceTypeName, id: string, resource: Resource, expectedVersion?: string): Promise<Resource>;
  /** Deletes the resource and its group memberships; throws 404 when absent, 412 on a version mismatch. */
  delete(type: ResourceTypeName, id: string, expectedVersion?: string): Promise<void>;
  list(type: ResourceTypeName, query: ListQuery): Promise<ListResult>;
  /** The resources whose `index` attribute equals `value` (see LookupIndex for case), in creation order. */
  findBy(type: ResourceTypeName, index: LookupIndex, value: string): Promise<Resource[]>;
  /** The groups whose `members` include `memberId` directly, in creation order: for a user's `groups` attribute. */
  groupsWithMember(memberId: string): Promise<GroupRef[]>;
  /** Removes every resource (between harness scenarios). */
  clear(): Promise<void>;
  /**
   * Runs `work` holding the resource `type`/`id` against other writers until it ends: a read,
   * change and write (PATCH, PUT, DELETE with its If-Match) that no other write interleaves with.
   * `work` does all its reads and writes through `tx`. A database store makes it one transaction
   * (nothing of it kept when it throws) and runs it again after a deadlock, so `work` has no effect
   * of its own before its last write. The memory store queues the works on one resource and keeps
   * what they wrote: its `work`s write last.
   */
  withLock<T>(type: ResourceTypeName, id: string, work: (tx: Store) => Promise<T>): Promise<T>;
  /** Gets the store ready (a database: connects, creates or upgrades its tables); the server awaits it before listening. */
  open?(): Promise<void>;
  /** After a bulk load (a seed): a database refreshes the statistics its query planner chooses plans by. */
  analyze?(): Promise<void>;
  /** Releases what `open` took (a database's connections). */
  close?(): Promise<void>;
}

/**
 * Called on a copy of a group that the store changes by itself (a deleted member removed), before
 * it is saved: the server refreshes `meta.lastModified` and `meta.version` there.
 */
export type TouchHook = (type: ResourceTypeName, resource: Resource) => void;
