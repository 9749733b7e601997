import { randomUUID } from 'node:crypto';
import { ScimError } from '../../scim/errors.js';
import { assertKnownFilterPaths } from '../../scim/filter/check.js';
import type { Filter } from '../../scim/filter/types.js';
import type { AttrPath } from '../../scim/path/types.js';
import { applyPatch } from '../../scim/patch/apply.js';
import { getKey, isObject, setKey, type JsonObject } from '../../scim/schema/keys.js';
import type { ResourceModel } from '../../scim/schema/model.js';
import { groupModel, userModel } from '../../scim/schema/index.js';
import { URN } from '../../scim/schema/urns.js';
import { sortComparator } from '../../scim/sort.js';
import { validateResource } from '../../scim/validate.js';
import { jsonEqual } from '../../scim/values/equal.js';
import type { ResolvedOptions } from '../options.js';
import type { ListResult, Resource, ResourceTypeName, Store } from '../store/types.js';
import { checkIfMatch } from './etag.js';
import { firstMeta, nextMeta, versionOf } from './meta.js';
import type { ListRequest } from './query.js';

export const MODELS: Record<ResourceTypeName, ResourceModel> = { User: userModel, Group: groupModel };

/**
 * Why an attribute may not be filtered on, if it may not: what a stored resource lacks because it
 * is computed when rendering (render.ts), a User's `groups` and every `meta.location`, would
 * quietly match nothing; and a value never returned (`password`) could be guessed a character at
 * a time. Refused as RFC 7644 Table 9 allows ("the specified attribute and filter comparison
 * combination is not supported").
 */
function unfilterable(path: AttrPath, type: ResourceTypeName): string | undefined {
  const resolved = MODELS[type].resolve(path);
  if (!resolved) return undefined;
  const definition = resolved.subAttribute ?? resolved.attribute;
  if (definition.returned === 'never') return `"${definition.name}" is never returned, and cannot be filtered on`;
  if (type === 'User' && resolved.schema === URN.user && resolved.attribute.name === 'groups') {
    return 'Users cannot be filtered on "groups": it is computed from the Groups\' members; search /Groups with members.value eq "<user id>" instead';
  }
  if (resolved.schema === undefined && resolved.attribute.name === 'meta' && resolved.subAttribute?.name === 'location') {
    return 'Resources cannot be filtered on "meta.location": it is computed from the request URL; filter on id instead';
  }
  return undefined;
}

export function assertFilterSupported(filter: Filter, type: ResourceTypeName): void {
  // [node, the attribute a value filter's terms are sub-attributes of]
  const pending: [Filter, AttrPath | undefined][] = [[filter, undefined]];
  while (pending.length > 0) {
    const [node, outer] = pending.pop()!;
    if (node.kind === 'and' || node.kind === 'or') pending.push([node.left, outer], [node.right, outer]);
    else if (node.kind === 'not') pending.push([node.filter, outer]);
    else {
      const path: AttrPath = outer && node.path.uri === undefined && node.path.subAttr === undefined ? { ...outer, subAttr: node.path.attr } : node.path;
      const refused = unfilterable(path, type);
      if (refused) throw ScimError.badRequest('invalidFilter', refused);
      if (node.kind === 'valuePath') pending.push([node.filter, node.path]);
    }
  }
}

/**
 * The SCIM semantics of one resource type over a Store: validation, PATCH, meta and versions,
 * member references. HTTP-free, so that routes, Bulk and the seed loader share it.
 * Resources come back as stored (no `location`, no computed `groups`): see render.ts.
 */
export class ResourceService {
  readonly model: ResourceModel;

  constructor(
    readonly type: ResourceTypeName,
    private readonly store: Store,
    private readonly options: ResolvedOptions,
  ) {
    this.model = MODELS[type];
  }

  async create(body: unknown): Promise<Resource> {
    const input = validateResource(body, this.model, { mode: 'create', compat: this.options.compat });
    await this.checkMembers(input);
    const resource: Resource = { ...input, id: randomUUID(), meta: firstMeta(this.type, this.options.now()) };
    return this.store.create(this.type, resource);
  }

  /**
   * The stored resource for reading only (see Store.view): what a GET renders, and what a write
   * reads the current state from (validation and PATCH build new objects; they never change it).
   */
  async view(id: string): Promise<Readonly<Resource>> {
    const resource = await this.store.view(this.type, id);
    if (!resource) throw ScimError.notFound(`${this.type} "${id.slice(0, 200)}" not found`);
    return resource;
  }

  async replace(id: string, body: unknown, ifMatch?: string): Promise<Resource> {
    const existing = await this.view(id);
    checkIfMatch(ifMatch, versionOf(existing));
    const input = validateResource(body, this.model, { mode: 'replace', existing, compat: this.options.compat });
    await this.checkMembers(input, existing);
    return this.save(existing, input);
  }

  async patch(id: string, body: unknown, ifMatch?: string): Promise<Resource> {
    const existing = await this.view(id);
    checkIfMatch(ifMatch, versionOf(existing));
    const patched = applyPatch(existing, body, this.model, { compat: this.options.compat });
    await this.checkMembers(patched, existing);
    return this.save(existing, patched);
  }

  async delete(id: string, ifMatch?: string): Promise<void> {
    const existing = await this.view(id);
    checkIfMatch(ifMatch, versionOf(existing));
    await this.store.delete(this.type, id, versionOf(existing));
  }

  /** One page of the resources matching `request`, in the requested order. */
  async list(request: Pick<ListRequest, 'filter' | 'sortBy' | 'sortOrder' | 'startIndex' | 'count'>): Promise<ListResult> {
    if (request.filter && !this.options.compat.ignoreUnknownAttributes) assertKnownFilterPaths(request.filter, this.model);
    if (request.filter) assertFilterSupported(request.filter, this.type);
    const unsortable = request.sortBy && unfilterable(request.sortBy, this.type);
    if (unsortable) throw ScimError.badRequest('invalidValue', `Cannot sort by it: ${unsortable}`);
    return this.store.list(this.type, {
      filter: request.filter,
      startIndex: request.startIndex,
      count: request.count,
      sort: request.sortBy && {
        path: request.sortBy,
        order: request.sortOrder,
        compare: sortComparator(request.sortBy, request.sortOrder, this.model),
      },
    });
  }

  /**
   * Stores `next` over `existing` with a new version, unless nothing changed: RFC 7644 §3.5.2.1
   * says a request that changes nothing keeps the modify timestamp.
   */
  private async save(existing: Resource, next: JsonObject): Promise<Resource> {
    const { meta: _before, ...beforeRest } = existing;
    const { meta: _after, ...afterRest } = next;
    if (jsonEqual(beforeRest, afterRest)) return existing;
    const id = existing.id as string;
    const resource: Resource = { ...afterRest, id, meta: nextMeta(existing, this.type, this.options.now()) };
    return this.store.replace(this.type, id, resource, versionOf(existing));
  }

  /**
   * Group members must name existing Users or Groups; their `type` is filled in, or checked when
   * given, so that `$ref` can point at the right endpoint. Members `existing` already had were
   * checked when they were added (and a delete removes them), so only new ones are looked up.
   */
  private async checkMembers(resource: JsonObject, existing?: Resource): Promise<void> {
    if (this.type !== 'Group') return;
    const members = getKey(resource, 'members');
    if (!Array.isArray(members)) return;
    const known = new Map<string, unknown>();
    const before = existing && getKey(existing, 'members');
    if (Array.isArray(before)) {
      for (const m of before) if (isObject(m) && typeof m.value === 'string') known.set(m.value, m.type);
    }
    for (const member of members) {
      if (!isObject(member)) continue;
      const value = getKey(member, 'value');
      if (typeof value !== 'string') throw ScimError.badRequest('invalidValue', 'Every member needs a "value": the id of a User or Group');
      if (existing && value === existing.id) throw ScimError.badRequest('invalidValue', 'A group cannot be a member of itself');
      const knownType = known.get(value);
      if (typeof knownType === 'string' && getKey(member, 'type') === undefined) {
        setKey(member, 'type', knownType);
        continue;
      }
      const found = (await this.store.get('User', value)) ? 'User' : (await this.store.get('Group', value)) ? 'Group' : undefined;
      if (!found) throw ScimError.badRequest('invalidValue', `Member "${value.slice(0, 200)}" is neither a User nor a Group here`);
      const given = getKey(member, 'type');
      if (given !== undefined && (typeof given !== 'string' || given.toLowerCase() !== found.toLowerCase())) {
        throw ScimError.badRequest('invalidValue', `Member "${value.slice(0, 200)}" is a ${found}, not a ${String(given).slice(0, 50)}`);
      }
      setKey(member, 'type', found);
    }
  }
}

export function createServices(store: Store, options: ResolvedOptions): Record<ResourceTypeName, ResourceService> {
  return { User: new ResourceService('User', store, options), Group: new ResourceService('Group', store, options) };
}
