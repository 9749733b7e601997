import { createHash } from 'node:crypto';
import pg from 'pg';
import { ScimError } from '../../../scim/errors.js';
import { brief } from '../../../scim/coerce.js';
import { matchesFilter } from '../../../scim/filter/evaluate.js';
import type { Filter } from '../../../scim/filter/types.js';
import { cloneJson, getKey, isObject } from '../../../scim/schema/keys.js';
import type { ResourceModel } from '../../../scim/schema/model.js';
import { idOf, memberIds, withoutMember } from '../fields.js';
import { indexedLookups } from '../required-equalities.js';
import type { GroupRef, ListQuery, ListResult, LookupIndex, Resource, ResourceTypeName, Store, TouchHook } from '../types.js';
import { migrate } from './migrations.js';

export interface PostgresStoreOptions {
  /** postgres://user:password@host:port/database, as libpq reads it. */
  url: string;
  /** The model filters are evaluated with, per resource type (caseExact, extensions). */
  models?: Partial<Record<ResourceTypeName, ResourceModel>>;
  /** See TouchHook: lets the server restamp `meta` on resources the store changes by itself. */
  touch?: TouchHook;
  /** Connections per instance. Default 10. */
  poolSize?: number;
  /** Told the SQLSTATE each time a transaction is run again (40P01 deadlock, 40001, 55P03 see `holding`): for tests and metrics. */
  onRetry?: (code: string) => void;
}

/** What a query runs on: the pool, or one transaction's connection. */
interface Queryable {
  query<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
}

interface Row {
  id: string;
  doc: Resource;
  version: string | null;
}

/** The lookups each type keeps, and the column holding the key. */
const KEY_COLUMN: Record<ResourceTypeName, Partial<Record<LookupIndex, string>>> = {
  User: { userName: 'user_name_key', externalId: 'external_id_key' },
  Group: { displayName: 'display_name_key', externalId: 'external_id_key' },
};
/** Rows read per round trip when a filter has no indexed equality and every resource is tested. */
const SCAN_BATCH = 500;
/** How many times a transaction runs after PostgreSQL ends it for a deadlock or a serialization failure. */
const RETRIES = 8;
/** 55P03: a lock NOWAIT found taken (see PostgresStore.holding); nothing else here asks for NOWAIT or sets lock_timeout. */
const LOCK_NOT_AVAILABLE = '55P03';
const RETRYABLE = new Set(['40P01', '40001', LOCK_NOT_AVAILABLE]);
/**
 * What the database may take, so that a database that hangs costs a request an error, never the
 * server its connections: a connection, one statement (lock waits included: 100 writers queued on
 * one row take well under it), and a transaction left idle by a process that stopped mid-way.
 */
const CONNECT_TIMEOUT_MS = 10_000;
const STATEMENT_TIMEOUT_MS = 30_000;
const IDLE_IN_TRANSACTION_MS = 60_000;
/** Errors that say the database cannot be had now: lost or refused connections, timeouts, a shutdown, too many connections. */
const UNAVAILABLE = new Set(['57014', '57P01', '57P02', '57P03', '53300', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * The lookup key of a value, ignoring case for every attribute (as the memory store's indexes do):
 * a lookup yields a superset of the exact matches, which the caller narrows by the attribute's caseExact.
 */
function lookupKey(value: string): string {
  return createHash('sha256').update(value.toLowerCase()).digest('hex');
}

function keyOf(resource: Resource, index: LookupIndex): string | null {
  const value = getKey(resource, index);
  return typeof value === 'string' ? lookupKey(value) : null;
}

function versionOf(resource: Resource): string | null {
  const meta = getKey(resource, 'meta');
  const version = isObject(meta) ? getKey(meta, 'version') : undefined;
  return typeof version === 'string' ? version : null;
}

/**
 * Whether a string can be a query parameter: PostgreSQL's text holds no NUL character, and such
 * an id names nothing stored (ids are the server's UUIDs), so it is looked up as absent.
 */
function storable(id: string): boolean {
  return !id.includes('\0');
}

function pgCode(error: unknown): string | undefined {
  return isObject(error) && typeof error.code === 'string' ? error.code : undefined;
}

/**
 * A database that cannot be had as RFC 7644 §3.12's 503 ("service unavailable"), which IdPs retry
 * later, rather than a 500; any other error as it is.
 */
function unavailable(error: unknown): unknown {
  if (error instanceof ScimError) return error;
  const code = pgCode(error) ?? '';
  const message = error instanceof Error ? error.message : '';
  if (code.startsWith('08') || UNAVAILABLE.has(code) || /timeout|Connection terminated/i.test(message)) {
    return new ScimError(503, undefined, 'The database behind this SCIM server cannot be reached now: retry later');
  }
  return error;
}

/** The columns a resource is stored with, in the order of the INSERT and UPDATE statements. */
function columns(type: ResourceTypeName, resource: Resource): unknown[] {
  const lookups = KEY_COLUMN[type];
  return [
    versionOf(resource),
    lookups.userName ? keyOf(resource, 'userName') : null,
    keyOf(resource, 'externalId'),
    lookups.displayName ? keyOf(resource, 'displayName') : null,
    type === 'Group' ? JSON.stringify(getKey(resource, 'displayName') ?? null) : null,
    JSON.stringify(resource),
  ];
}

/**
 * The Store on PostgreSQL (issue 19): the database guards what several instances share. A unique
 * index keeps userNames unique ignoring case; a version check under a row lock answers If-Match;
 * scim_members, with foreign keys both ways, keeps group members existing resources; every write
 * is one transaction, run again when PostgreSQL ends it for a deadlock. Filters with an `eq` on an
 * indexed attribute read only the rows it names; others test every row of the type, in batches
 * read in one snapshot, with scim/'s evaluator under the request's FilterBudget.
 */
export class PostgresStore implements Store {
  private readonly pool: pg.Pool;
  private readonly models: Partial<Record<ResourceTypeName, ResourceModel>>;
  private readonly touch: TouchHook | undefined;
  private readonly onRetry: ((code: string) => void) | undefined;
  private opening: Promise<void> | undefined;

  constructor(options: PostgresStoreOptions) {
    this.pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      statement_timeout: STATEMENT_TIMEOUT_MS,
      idle_in_transaction_session_timeout: IDLE_IN_TRANSACTION_MS,
    });
    // An idle connection the server drops must not end the process: the next query reconnects.
    this.pool.on('error', () => undefined);
    this.models = options.models ?? {};
    this.touch = options.touch;
    this.onRetry = options.onRetry;
  }

  /** Connects and migrates once; a failure is not kept, so that the next use tries again. */
  open(): Promise<void> {
    this.opening ??= (async () => {
      const client = await this.pool.connect();
      try {
        await migrate(client);
      } finally {
        client.release();
      }
    })().catch((error: unknown) => {
      this.opening = undefined;
      throw error;
    });
    return this.opening;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  create(type: ResourceTypeName, resource: Resource): Promise<Resource> {
    return this.transaction((tx) => new Operations(tx, this.models, this.touch).create(type, resource));
  }

  async get(type: ResourceTypeName, id: string): Promise<Resource | undefined> {
    return (await this.reads()).get(type, id);
  }

  view(type: ResourceTypeName, id: string): Promise<Readonly<Resource> | undefined> {
    return this.get(type, id);
  }

  replace(type: ResourceTypeName, id: string, resource: Resource, expectedVersion?: string): Promise<Resource> {
    return this.transaction((tx) => new Operations(tx, this.models, this.touch).replace(type, id, resource, expectedVersion));
  }

  delete(type: ResourceTypeName, id: string, expectedVersion?: string): Promise<void> {
    // The resource itself is locked by the delete, after the groups holding it.
    return this.holding(type, id, (tx) => tx.delete(type, id, expectedVersion), false);
  }

  /**
   * An unfiltered page, or a filter answered from an index, is one statement, so one snapshot. A
   * scan is several (one a batch): a read-only REPEATABLE READ transaction gives them one snapshot,
   * so that `totalResults` and the page are of one state of the store under concurrent writes.
   */
  async list(type: ResourceTypeName, query: ListQuery): Promise<ListResult> {
    const scans = query.filter ? indexedLookups(type, query.filter).length === 0 : query.sort !== undefined;
    if (!scans) return (await this.reads()).list(type, query);
    return this.transaction((client) => new Operations(client, this.models, this.touch).list(type, query), 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  }

  async findBy(type: ResourceTypeName, index: LookupIndex, value: string): Promise<Resource[]> {
    return (await this.reads()).findBy(type, index, value);
  }

  async groupsWithMember(memberId: string): Promise<GroupRef[]> {
    return (await this.reads()).groupsWithMember(memberId);
  }

  async clear(): Promise<void> {
    await (await this.reads()).clear();
  }

  withLock<T>(type: ResourceTypeName, id: string, work: (tx: Store) => Promise<T>): Promise<T> {
    return this.holding(type, id, work, true);
  }

  /** Tells PostgreSQL's planner what a bulk load (a seed) put in the tables: it plans on empty-table statistics until autovacuum's next round otherwise. */
  async analyze(): Promise<void> {
    await (await this.reads()).analyze();
  }

  /**
   * Runs `work` in a transaction, with the resource locked first when `lockFirst`. Lock order, so
   * that two writes never wait for each other (a deadlock PostgreSQL breaks only after
   * deadlock_timeout, 1 s): the groups holding a resource before the resource. A group's write
   * locks the group, then the users whose `groups` it changes (touchUsers); a delete, which must
   * change the groups holding the resource, is the one write that needs a group after the
   * resource. Which groups those are is known once the resource is locked (members change until
   * then), so the delete asks for them NOWAIT: never waiting while it holds the resource, it never
   * closes a cycle. When one is taken, the attempt is rolled back and the next locks the groups it
   * found first, waiting for them as a group's write would, then the resource.
   */
  private holding<T>(type: ResourceTypeName, id: string, work: (tx: Store) => Promise<T>, lockFirst: boolean): Promise<T> {
    // A delete of its own holds nothing yet: it may wait for the groups from its first attempt.
    const groupsFirst = new Set<string>(lockFirst ? [] : [id]);
    return this.transaction(async (client) => {
      const ops = new Operations(client, this.models, this.touch, groupsFirst);
      for (const held of groupsFirst) await ops.lockHolders(held, false);
      if (lockFirst && storable(id)) await client.query('SELECT 1 FROM scim_resources WHERE id = $1 AND type = $2 FOR UPDATE', [id, type]);
      return work(ops);
    });
  }

  /** Reads run on the pool, each a statement of its own. */
  private async reads(): Promise<Operations> {
    await this.open().catch((error: unknown) => Promise.reject(unavailable(error)));
    const pool: Queryable = {
      query: <R extends pg.QueryResultRow>(text: string, values?: unknown[]) => this.pool.query<R>(text, values).catch((error: unknown) => Promise.reject(unavailable(error))),
    };
    return new Operations(pool, this.models, this.touch);
  }

  /** Runs `work` in a transaction (opened by `begin`) on one connection; again, from the start, when PostgreSQL ends it for a deadlock. */
  private async transaction<T>(work: (client: pg.PoolClient) => Promise<T>, begin = 'BEGIN'): Promise<T> {
    await this.open().catch((error: unknown) => Promise.reject(unavailable(error)));
    for (let attempt = 0; ; attempt++) {
      const client = await this.pool.connect().catch((error: unknown) => Promise.reject(unavailable(error)));
      let broken = false;
      try {
        await client.query(begin);
        const result = await work(client);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => (broken = true));
        const code = pgCode(error) ?? '';
        if (attempt < RETRIES && RETRYABLE.has(code)) {
          this.onRetry?.(code);
          // A short random pause, so the transactions that collided do not collide again.
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * (attempt + 1)));
          continue;
        }
        throw unavailable(error);
      } finally {
        client.release(broken);
      }
    }
  }
}

/**
 * The store's operations on one connection or the pool: PostgresStore runs the writes in a
 * transaction of their own, and hands one bound to the transaction to a `withLock` work.
 */
class Operations implements Store {
  constructor(
    private readonly db: Queryable,
    private readonly models: Partial<Record<ResourceTypeName, ResourceModel>>,
    private readonly touch: TouchHook | undefined,
    /** The resources whose holding groups the transaction's next attempt locks first (PostgresStore.holding). */
    private readonly groupsFirst = new Set<string>(),
  ) {}

  async create(type: ResourceTypeName, resource: Resource): Promise<Resource> {
    const stored = cloneJson(resource);
    const id = idOf(stored);
    try {
      await this.db.query(
        `INSERT INTO scim_resources (id, type, version, user_name_key, external_id_key, display_name_key, display_name, doc)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [id, type, ...columns(type, stored)],
      );
    } catch (error) {
      throw this.conflict(error, stored, id);
    }
    if (type === 'Group') {
      const added = memberIds(stored);
      // Users first (see touchUsers): addMembers' lighter lock on them then upgrades nothing.
      await this.touchUsers(added);
      await this.addMembers(id, added);
    }
    return cloneJson(stored);
  }

  async get(type: ResourceTypeName, id: string): Promise<Resource | undefined> {
    if (!storable(id)) return undefined;
    const { rows } = await this.db.query<{ doc: Resource }>('SELECT doc FROM scim_resources WHERE id = $1 AND type = $2', [id, type]);
    return rows[0]?.doc;
  }

  view(type: ResourceTypeName, id: string): Promise<Readonly<Resource> | undefined> {
    return this.get(type, id);
  }

  async replace(type: ResourceTypeName, id: string, resource: Resource, expectedVersion?: string): Promise<Resource> {
    const before = await this.locked(type, id, expectedVersion);
    const stored = cloneJson(resource);
    if (idOf(stored) !== id) throw new TypeError(`replace: the resource's id must be "${id}"`);
    try {
      await this.db.query(
        `UPDATE scim_resources SET version = $3, user_name_key = $4, external_id_key = $5, display_name_key = $6, display_name = $7, doc = $8
         WHERE id = $1 AND type = $2`,
        [id, type, ...columns(type, stored)],
      );
    } catch (error) {
      throw this.conflict(error, stored, id);
    }
    if (type === 'Group') {
      const old = memberIds(before.doc);
      const now = memberIds(stored);
      const removed = [...old].filter((m) => !now.has(m));
      const added = new Set([...now].filter((m) => !old.has(m)));
      if (removed.length > 0) await this.db.query('DELETE FROM scim_members WHERE group_id = $1 AND member_id = ANY($2)', [id, removed]);
      const renamed = getKey(before.doc, 'displayName') !== getKey(stored, 'displayName');
      await this.touchUsers(renamed ? new Set([...removed, ...now]) : new Set([...removed, ...added]));
      await this.addMembers(id, added);
    }
    return cloneJson(stored);
  }

  async delete(type: ResourceTypeName, id: string, expectedVersion?: string): Promise<void> {
    await this.locked(type, id, expectedVersion);
    // Every group listing it loses it, in creation order, each restamped (TouchHook).
    const holders = await this.lockHolders(id, true);
    for (const holder of holders) {
      const group = withoutMember(holder.doc, id);
      this.touch?.('Group', group);
      await this.db.query('UPDATE scim_resources SET version = $2, doc = $3 WHERE id = $1', [holder.id, versionOf(group), JSON.stringify(group)]);
    }
    await this.db.query('DELETE FROM scim_members WHERE member_id = $1', [id]);
    if (type === 'Group') {
      const { rows } = await this.db.query<{ member_id: string }>('SELECT member_id FROM scim_members WHERE group_id = $1', [id]);
      await this.touchUsers(rows.map((row) => row.member_id));
    }
    await this.db.query('DELETE FROM scim_resources WHERE id = $1', [id]);
  }

  async list(type: ResourceTypeName, query: ListQuery): Promise<ListResult> {
    const { filter, sort, budget } = query;
    const start = Math.max(1, query.startIndex ?? 1) - 1;
    if (!filter && !sort) return this.page(type, start, query.count);
    let matches: Resource[];
    if (filter) {
      const model = this.models[type];
      const candidates = await this.candidates(type, filter);
      matches = [];
      const test = (rows: readonly Resource[]) => {
        for (const doc of rows) if (matchesFilter(filter, doc, model, budget)) matches.push(doc);
      };
      if (candidates) test(candidates);
      else await this.scan(type, test);
    } else {
      matches = [];
      await this.scan(type, (rows) => matches.push(...rows));
    }
    if (sort) matches.sort((a, b) => sort.compare(a, b));
    const end = query.count === undefined ? undefined : start + Math.max(0, query.count);
    return { totalResults: matches.length, resources: matches.slice(start, end) };
  }

  async findBy(type: ResourceTypeName, index: LookupIndex, value: string): Promise<Resource[]> {
    const column = KEY_COLUMN[type][index];
    if (!column) return [];
    const { rows } = await this.db.query<{ doc: Resource }>(
      `SELECT doc FROM scim_resources WHERE type = $1 AND ${column} = $2 ORDER BY seq`,
      [type, lookupKey(value)],
    );
    const exact = index === 'externalId' ? (v: unknown) => v === value : (v: unknown) => typeof v === 'string' && v.toLowerCase() === value.toLowerCase();
    return rows.map((row) => row.doc).filter((doc) => exact(getKey(doc, index)));
  }

  async groupsWithMember(memberId: string): Promise<GroupRef[]> {
    if (!storable(memberId)) return [];
    const { rows } = await this.db.query<{ id: string; display_name: unknown }>(
      `SELECT r.id, r.display_name FROM scim_members m JOIN scim_resources r ON r.id = m.group_id
       WHERE m.member_id = $1 ORDER BY r.seq`,
      [memberId],
    );
    return rows.map((row) => ({ id: row.id, displayName: row.display_name ?? undefined }));
  }

  async clear(): Promise<void> {
    await this.db.query('TRUNCATE scim_members, scim_resources');
  }

  /** ANALYZE samples at most 300 × default_statistics_target rows a table, so it is cheap whatever was loaded. */
  async analyze(): Promise<void> {
    await this.db.query('ANALYZE scim_resources, scim_members');
  }

  /**
   * The groups holding `memberId`, in creation order, locked. `nowait` after the member itself is
   * locked (see PostgresStore.holding): a group taken then is remembered, to be locked first by
   * the next attempt, and the attempt ends with 55P03.
   */
  async lockHolders(memberId: string, nowait: boolean): Promise<{ id: string; doc: Resource }[]> {
    if (!storable(memberId)) return [];
    try {
      const { rows } = await this.db.query<{ id: string; doc: Resource }>(
        `SELECT r.id, r.doc FROM scim_resources r JOIN scim_members m ON m.group_id = r.id
         WHERE m.member_id = $1 ORDER BY r.seq FOR UPDATE OF r${nowait ? ' NOWAIT' : ''}`,
        [memberId],
      );
      return rows;
    } catch (error) {
      if (pgCode(error) === LOCK_NOT_AVAILABLE) this.groupsFirst.add(memberId);
      throw error;
    }
  }

  /** Already in a transaction holding the resource: the work runs as it is. */
  withLock<T>(_type: ResourceTypeName, _id: string, work: (tx: Store) => Promise<T>): Promise<T> {
    return work(this);
  }

  /** The resource's row, locked until the transaction ends; 404 when absent, 412 on a version mismatch. */
  private async locked(type: ResourceTypeName, id: string, expectedVersion: string | undefined): Promise<Row> {
    if (!storable(id)) throw ScimError.notFound(`${type} ${brief(id)} not found`);
    const { rows } = await this.db.query<Row>('SELECT id, doc, version FROM scim_resources WHERE id = $1 AND type = $2 FOR UPDATE', [id, type]);
    const row = rows[0];
    if (!row) throw ScimError.notFound(`${type} ${id} not found`);
    if (expectedVersion !== undefined && row.version !== expectedVersion) {
      throw new ScimError(412, undefined, `${type} ${id} has changed since version ${expectedVersion}: read it again and retry`);
    }
    return row;
  }

  /**
   * Records a group's new members; a member that is no stored resource is a 400 naming it. The
   * check locks the members FOR KEY SHARE, as the foreign key's check would: a delete of one waits
   * for this transaction, so the insert cannot fail on it. (Letting the foreign key fail instead
   * aborts the transaction, which then cannot look up which member was missing.)
   */
  private async addMembers(groupId: string, ids: ReadonlySet<string>): Promise<void> {
    if (ids.size === 0) return;
    const wanted = [...ids];
    const { rows } = await this.db.query<{ id: string }>('SELECT id FROM scim_resources WHERE id = ANY($1) FOR KEY SHARE', [wanted]);
    const present = new Set(rows.map((row) => row.id));
    const missing = wanted.find((id) => !present.has(id));
    if (missing !== undefined) throw ScimError.badRequest('invalidValue', `Member "${brief(missing)}" is neither a User nor a Group here`);
    await this.db.query('INSERT INTO scim_members (group_id, member_id) SELECT $1, unnest($2::text[])', [groupId, wanted]);
  }

  /**
   * A user's `groups` is computed from the groups (RFC 7643 §4.1.2): the users whose groups
   * changed get a new version, so that an If-None-Match does not answer 304 with stale groups.
   * Called before addMembers: two transactions adding one user to different groups would each
   * hold addMembers' KEY SHARE lock on it and wait for the other to upgrade it here (a deadlock,
   * which PostgreSQL finds only after deadlock_timeout, 1 s by default).
   */
  private async touchUsers(ids: Iterable<string>): Promise<void> {
    const wanted = [...ids];
    if (!this.touch || wanted.length === 0) return;
    const { rows } = await this.db.query<{ id: string; doc: Resource }>(
      "SELECT id, doc FROM scim_resources WHERE type = 'User' AND id = ANY($1) ORDER BY id FOR UPDATE",
      [wanted],
    );
    if (rows.length === 0) return;
    for (const row of rows) this.touch('User', row.doc);
    await this.db.query(
      `UPDATE scim_resources r SET version = v.version, doc = v.doc
       FROM unnest($1::text[], $2::text[], $3::json[]) AS v(id, version, doc) WHERE r.id = v.id`,
      [rows.map((row) => row.id), rows.map((row) => versionOf(row.doc)), rows.map((row) => JSON.stringify(row.doc))],
    );
  }

  /** The rows an indexed `eq` of the filter names (the fewest of its lookups), or undefined when it has none. */
  private async candidates(type: ResourceTypeName, filter: Filter): Promise<Resource[] | undefined> {
    let best: Resource[] | undefined;
    for (const { index, value } of indexedLookups(type, filter)) {
      let hits: Resource[];
      if (index === 'id') {
        const found = await this.get(type, value);
        hits = found ? [found] : [];
      } else {
        const { rows } = await this.db.query<{ doc: Resource }>(
          `SELECT doc FROM scim_resources WHERE type = $1 AND ${KEY_COLUMN[type][index]!} = $2 ORDER BY seq`,
          [type, lookupKey(value)],
        );
        hits = rows.map((row) => row.doc);
      }
      if (!best || hits.length < best.length) best = hits;
      if (best.length === 0) break;
    }
    return best;
  }

  /**
   * Every resource of the type in creation order, SCAN_BATCH rows a round trip, through a cursor:
   * one statement, so one plan, an index scan even before the planner has statistics (batches of
   * `seq > last … LIMIT` were each planned as a sort of every remaining row then). A cursor needs
   * a transaction: PostgresStore.list opens one for a scan, and withLock's work runs in one.
   */
  private async scan(type: ResourceTypeName, visit: (rows: Resource[]) => void): Promise<void> {
    await this.db.query('DECLARE scim_scan NO SCROLL CURSOR FOR SELECT doc FROM scim_resources WHERE type = $1 ORDER BY seq', [type]);
    try {
      for (;;) {
        const { rows } = await this.db.query<{ doc: Resource }>(`FETCH ${SCAN_BATCH} FROM scim_scan`);
        if (rows.length > 0) visit(rows.map((row) => row.doc));
        if (rows.length < SCAN_BATCH) break;
      }
    } catch (error) {
      // Closed so that the transaction may scan again; a transaction the error aborted rolls back anyway.
      await this.db.query('CLOSE scim_scan').catch(() => undefined);
      throw error;
    }
    await this.db.query('CLOSE scim_scan');
  }

  /**
   * An unfiltered, unsorted page in creation order: one statement, so the count and the page are
   * of one snapshot. The page's rows are found in the (type, seq) index first and only they are
   * read from the table: skipping `start` rows costs index entries, not documents (a sort of every
   * document, on disk, when the planner has no statistics yet, as after a bulk load). The count
   * is joined with LEFT JOIN, so an empty page still answers its one row.
   */
  private async page(type: ResourceTypeName, start: number, count: number | undefined): Promise<ListResult> {
    const { rows } = await this.db.query<{ total: string; doc: Resource | null }>(
      `WITH page AS (SELECT seq FROM scim_resources WHERE type = $1 ORDER BY seq OFFSET $2 LIMIT $3)
       SELECT t.total, r.doc FROM (SELECT count(*) AS total FROM scim_resources WHERE type = $1) t
       LEFT JOIN (page p JOIN scim_resources r ON r.type = $1 AND r.seq = p.seq) ON true
       ORDER BY r.seq`,
      [type, start, count === undefined ? null : Math.max(0, count)],
    );
    const resources: Resource[] = [];
    for (const row of rows) if (row.doc !== null) resources.push(row.doc);
    return { totalResults: Number(rows[0]!.total), resources };
  }

  /** A unique violation as the 409 the contract promises; anything else as it is. */
  private conflict(error: unknown, resource: Resource, id: string): unknown {
    if (pgCode(error) !== '23505') return error;
    const constraint = isObject(error) ? error.constraint : undefined;
    if (constraint === 'scim_resources_user_name') {
      return ScimError.conflict(`userName "${brief(String(getKey(resource, 'userName')))}" is already taken (userName is unique, ignoring case)`);
    }
    return ScimError.conflict(`A resource with id "${brief(id)}" already exists`);
  }
}
