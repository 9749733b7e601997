import type { MetaMember } from '../../scim/profile/fields.js';
import { getKey, isObject, setKey, type JsonObject } from '../../scim/schema/keys.js';
import { project } from '../../scim/projection.js';
import { definitionNamed } from '../../scim/schema/attributes.js';
import type { ResourceModel } from '../../scim/schema/model.js';
import { URN } from '../../scim/schema/urns.js';
import type { Resource, ResourceTypeName, Store } from '../store/types.js';
import type { Projection } from './query.js';
import { versionOf } from './meta.js';
import { DEFAULT_SCHEMAS } from './schemas.js';

const ENDPOINT: Record<ResourceTypeName, string> = { User: 'Users', Group: 'Groups' };

export function locationOf(base: string, type: ResourceTypeName, id: string): string {
  return `${base}/${ENDPOINT[type]}/${encodeURIComponent(id)}`;
}

/** What a resource shows of `meta`, per resource type: all of RFC 7643 §3.1's members unless a profile says fewer. */
export type MetaShown = Readonly<Record<ResourceTypeName, readonly MetaMember[]>>;

/** `meta` with the computed location, and only the members `shown` lists. */
function renderMeta(stored: unknown, location: string, shown: readonly MetaMember[] | undefined): JsonObject {
  const meta: JsonObject = { ...(isObject(stored) ? stored : {}), location };
  if (!shown) return meta;
  return Object.fromEntries(Object.entries(meta).filter(([key]) => shown.includes(key as MetaMember)));
}

/**
 * A stored resource as a client sees it: `meta.location` from the URL the client used (and the
 * members of `meta` the profile shows), a User's computed `groups` (RFC 7643 §4.1.2) when its
 * schema declares them, members' `$ref` when the Group schema has it, then the projection the
 * client asked for.
 */
export async function render(model: ResourceModel, resource: Resource, base: string, store: Store, projection: Projection = {}, meta?: readonly MetaMember[]): Promise<JsonObject> {
  const type = model.resourceType.name as ResourceTypeName;
  const id = resource.id as string;
  const out: JsonObject = { ...resource };
  out.meta = renderMeta(resource.meta, locationOf(base, type, id), meta);
  if (type === 'User') {
    // A User schema without `groups` (the no-user-groups variation) never shows them.
    const groups = definitionNamed(model.core.attributes, 'groups') ? await store.groupsWithMember(id) : [];
    if (groups.length > 0) {
      setKey(
        out,
        'groups',
        groups.map((g) => ({ value: g.id, $ref: locationOf(base, 'Group', g.id), display: g.displayName, type: 'direct' })),
      );
    }
  } else {
    const members = getKey(resource, 'members');
    // A profile that stores members without $ref (Postman ref §2) shows none.
    if (Array.isArray(members) && model.resolve({ attr: 'members', subAttr: '$ref' })) {
      setKey(
        out,
        'members',
        members.map((m) => {
          if (!isObject(m) || typeof m.value !== 'string') return m;
          const memberType: ResourceTypeName = m.type === 'Group' ? 'Group' : 'User';
          return { ...m, $ref: locationOf(base, memberType, m.value) };
        }),
      );
    }
  }
  return project(out, model, projection);
}

/** One resource of a list, with its type (a root /.search mixes Users and Groups). */
export interface Typed {
  type: ResourceTypeName;
  resource: Resource;
}

/**
 * How much the render cache holds, in characters of JSON plus a fixed cost an entry (V8 keeps
 * ASCII text at a byte a character): 32 MiB, about 30,000 typical users.
 */
export const RENDER_CACHE_LIMIT = 32 * 1024 * 1024;

/** The most characters of resources one page of a list holds: far below V8's longest string (2^29 - 24). */
export const MAX_PAGE_CHARS = 16 * 1024 * 1024;

/** An entry's cost beyond its text and key: the Map slot and the entry object, roughly. */
const ENTRY_COST = 128;

interface Rendering {
  version: string;
  base: string;
  text: string;
}

/**
 * Renders responses as JSON text, remembering each resource's latest text under the default
 * projection, with the version and base URL it shows, so that reading an unchanged resource again
 * costs a lookup. Sound because the version changes with anything a rendering shows: the store
 * touches a user whose groups change (store/types.ts). Keyed by the resource alone: the base URL
 * comes from the Host header, which is the client's to vary, so a read under another name
 * replaces the entry instead of adding one. Bounded by `limit` and emptied when full;
 * never evicted one by one, which V8's Maps do slowly.
 */
export class Renderer {
  private readonly cache = new Map<string, Rendering>();
  private size = 0;

  constructor(
    private readonly store: Store,
    private readonly models: Readonly<Record<ResourceTypeName, ResourceModel>> = DEFAULT_SCHEMAS.models,
    private readonly meta?: MetaShown,
    private readonly limit = RENDER_CACHE_LIMIT,
  ) {}

  /** How many renderings the cache holds, and their cost as `limit` counts it. */
  get cached(): { entries: number; chars: number } {
    return { entries: this.cache.size, chars: this.size };
  }

  async json(type: ResourceTypeName, resource: Resource, base: string, projection: Projection = {}): Promise<string> {
    const version = versionOf(resource);
    if (version === undefined || projection.attributes !== undefined || projection.excludedAttributes !== undefined) {
      return JSON.stringify(await render(this.models[type], resource, base, this.store, projection, this.meta?.[type]));
    }
    const key = `${type}\n${resource.id as string}`;
    const cached = this.cache.get(key);
    if (cached?.version === version && cached.base === base) return cached.text;
    const text = JSON.stringify(await render(this.models[type], resource, base, this.store, projection, this.meta?.[type]));
    // A rendering that would take more than a sixteenth of the cache is not kept.
    if (text.length <= this.limit / 16) this.keep(key, { version, base, text });
    return text;
  }

  private keep(key: string, next: Rendering): void {
    const cost = (entry: Rendering | undefined) => (entry === undefined ? 0 : entry.text.length + entry.base.length + key.length + ENTRY_COST);
    // Read again: another rendering of the resource may have been kept while this one awaited the store.
    let replaced = cost(this.cache.get(key));
    if (this.size - replaced + cost(next) > this.limit) {
      this.cache.clear();
      this.size = 0;
      replaced = 0;
    }
    this.cache.set(key, next);
    this.size += cost(next) - replaced;
  }

  /**
   * An RFC 7644 §3.4.2 ListResponse of one page, cut short after MAX_PAGE_CHARS of resources: the
   * RFC lets a server return fewer results than `count` (§3.4.2.4), `itemsPerPage` says how many,
   * and the client's next page starts after them. One resource is always shown.
   */
  async listJson(page: readonly Typed[], totalResults: number, startIndex: number, base: string, projection: Projection): Promise<string> {
    const resources: string[] = [];
    let chars = 0;
    for (const { type, resource } of page) {
      const text = await this.json(type, resource, base, projection);
      if (resources.length > 0 && chars + text.length > MAX_PAGE_CHARS) break;
      resources.push(text);
      chars += text.length;
    }
    const head = JSON.stringify({ schemas: [URN.listResponse], totalResults, itemsPerPage: resources.length, startIndex });
    return `${head.slice(0, -1)},"Resources":[${resources.join(',')}]}`;
  }
}
