import { randomUUID } from 'node:crypto';
import { ScimError } from '../../scim/errors.js';
import { FilterBudget } from '../../scim/filter/budget.js';
import { assertKnownFilterPaths } from '../../scim/filter/check.js';
import type { Filter } from '../../scim/filter/types.js';
import type { AttrPath } from '../../scim/path/types.js';
import { applyPatch } from '../../scim/patch/apply.js';
import { deleteKey, getKey, isObject, setKey, type JsonObject } from '../../scim/schema/keys.js';
import type { ResourceModel } from '../../scim/schema/model.js';
import { URN } from '../../scim/schema/urns.js';
import { sortComparator } from '../../scim/sort.js';
import { validateResource } from '../../scim/validate.js';
import { jsonEqual } from '../../scim/values/equal.js';
import { dropUnstored, isPartlyStored, isUnstored } from '../../scim/profile/attributes.js';
import { assertGroupName, assertMayJoin, assertWithinLimits } from '../../scim/resource-limits.js';
import { PATCH_OPS, type Profile } from '../../scim/profile/fields.js';
import { assertFilterAttributes } from '../../scim/profile/filter.js';
import { rulePatch, type PatchRules } from '../../scim/profile/patch.js';
import { rulePut } from '../../scim/profile/put.js';
import type { ResolvedOptions } from '../options.js';
import { Team } from '../team/team.js';
import type { ListResult, Resource, ResourceTypeName, Store } from '../store/types.js';
import { checkIfMatch } from './etag.js';
import { keepOmitted } from './keep-omitted.js';
import { DEFAULT_SCHEMAS } from './schemas.js';
import { firstMeta, nextMeta, versionOf } from './meta.js';
import type { ListRequest } from './query.js';

/**
 * Why an attribute may not be filtered on, if it may not: what a stored resource lacks because it
 * is computed when rendering (render.ts), a User's `groups` and every `meta.location`, would
 * quietly match nothing; and a value never returned (`password`) could be guessed a character at
 * a time. Refused as RFC 7644 Table 9 allows ("the specified attribute and filter comparison
 * combination is not supported").
 */
function unfilterable(path: AttrPath, model: ResourceModel): string | undefined {
  const resolved = model.resolve(path);
  if (!resolved) return undefined;
  const definition = resolved.subAttribute ?? resolved.attribute;
  if (definition.returned === 'never') return `"${definition.name}" is never returned, and cannot be filtered on`;
  if (resolved.schema === URN.user && resolved.attribute.name === 'groups') {
    return 'Users cannot be filtered on "groups": it is computed from the Groups\' members; search /Groups with members.value eq "<user id>" instead';
  }
  if (resolved.schema === undefined && resolved.attribute.name === 'meta' && resolved.subAttribute?.name === 'location') {
    return 'Resources cannot be filtered on "meta.location": it is computed from the request URL; filter on id instead';
  }
  return undefined;
}

export function assertFilterSupported(filter: Filter, model: ResourceModel): void {
  // [node, the attribute a value filter's terms are sub-attributes of]
  const pending: [Filter, AttrPath | undefined][] = [[filter, undefined]];
  while (pending.length > 0) {
    const [node, outer] = pending.pop()!;
    if (node.kind === 'and' || node.kind === 'or') pending.push([node.left, outer], [node.right, outer]);
    else if (node.kind === 'not') pending.push([node.filter, outer]);
    else {
      const path: AttrPath = outer && node.path.uri === undefined && node.path.subAttr === undefined ? { ...outer, subAttr: node.path.attr } : node.path;
      const refused = unfilterable(path, model);
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
  /** RFC 7643's model of the type, which `model` narrows to what the profile stores. */
  private readonly full: ResourceModel;
  private readonly profile: Profile;
  /** Whether resources show meta.version: without it, there are no ETags and If-Match is not checked. */
  private readonly versioned: boolean;

  constructor(
    readonly type: ResourceTypeName,
    private readonly store: Store,
    private readonly options: ResolvedOptions,
    private readonly team: Team,
  ) {
    this.model = options.schemas.models[type];
    this.full = DEFAULT_SCHEMAS.models[type];
    this.profile = options.profile;
    this.versioned = options.profile.attributes[type].meta.includes('version');
  }

  /**
   * The body without what the profile does not store: every such attribute with `unstored: ignore`,
   * else only readOnly ones such as a User's `groups` when the profile keeps none (RFC 7644 §3.3 and
   * §3.5.1: a server ignores readOnly attributes a client sends, as IdPs send `groups: []` on create).
   */
  private stored(body: unknown): unknown {
    return dropUnstored(body, this.full, this.model, this.profile.attributes[this.type].unstored === 'ignore');
  }

  async create(body: unknown): Promise<Resource> {
    const input = validateResource(this.stored(body), this.model, { mode: 'create', compat: this.options.compat });
    // RFC 7644 §3.3: "the server is free to alter and/or ignore POSTed content"; a profile may default displayName.
    if (this.profile.users.displayNameDefault === 'userName' && this.type === 'User' && getKey(input, 'displayName') === undefined) {
      setKey(input, 'displayName', getKey(input, 'userName'));
    }
    if (this.profile.users.activeDefault && this.type === 'User' && getKey(input, 'active') === undefined) setKey(input, 'active', true);
    this.caseUserName(input);
    this.checkGroupName(input);
    await this.checkMembers(this.store, input);
    await this.checkDisplayNameFree(this.store, input);
    const resource: Resource = { ...input, id: randomUUID(), meta: firstMeta(this.type, this.options.now()) };
    assertWithinLimits(resource, this.type, this.options.resources);
    // A profile's team may invite an existing account rather than create it (Postman ref §4.1).
    if (this.type === 'User' && (await this.team.admit(getKey(input, 'userName'))) === 'invite') return this.team.invite(resource);
    return this.store.create(this.type, resource);
  }

  /**
   * The stored resource for reading only (see Store.view): what a GET renders, and what a write
   * reads the current state from (validation and PATCH build new objects; they never change it).
   */
  async view(id: string, store = this.store): Promise<Readonly<Resource>> {
    const resource = await store.view(this.type, id);
    if (!resource) throw ScimError.notFound(`${this.type} "${id.slice(0, 200)}" not found`);
    return resource;
  }

  replace(id: string, body: unknown, ifMatch?: string): Promise<Resource> {
    return this.store.withLock(this.type, id, (tx) => this.replaceIn(tx, id, body, ifMatch));
  }

  private async replaceIn(tx: Store, id: string, body: unknown, ifMatch: string | undefined): Promise<Resource> {
    const existing = await this.view(id, tx);
    this.checkIfMatch(ifMatch, existing);
    const sent = this.stored(body);
    const keep = (this.type === 'User' ? this.profile.users.put : this.profile.groups.put) === 'keep-omitted';
    const paths = this.profile.put.paths[this.type];
    const complete = paths
      ? rulePut(sent, existing, { paths, keepOmitted: keep, extensions: this.full.extensions.map((e) => e.id) })
      : keep
        ? keepOmitted(sent, existing, this.model)
        : sent;
    const input = validateResource(complete, this.model, { mode: 'replace', existing, compat: this.options.compat });
    await this.checkWrite(tx, input, existing);
    return this.save(tx, existing, input);
  }

  /** `budget`: what the value filters of its paths and its operations on long lists may spend, one request's (a Bulk's PATCH operations share one). */
  patch(id: string, body: unknown, ifMatch?: string, budget = new FilterBudget()): Promise<Resource> {
    return this.store.withLock(this.type, id, (tx) => this.patchIn(tx, id, body, ifMatch, budget));
  }

  private async patchIn(tx: Store, id: string, body: unknown, ifMatch: string | undefined, budget: FilterBudget): Promise<Resource> {
    const existing = await this.view(id, tx);
    this.checkIfMatch(ifMatch, existing);
    // A profile may not check `schemas` (Postman ref §4.4: a client's "…:PutOp").
    const sent = this.profile.patch.checkSchemas || !isObject(body) ? body : { ...body, schemas: [URN.patchOp] };
    const ruled = this.patchRules && rulePatch(sent, this.patchRules, this.options.compat);
    if (ruled?.empty) return existing;
    const patched = applyPatch(existing, ruled ? ruled.body : sent, this.model, { compat: this.options.compat, budget });
    await this.checkWrite(tx, patched, existing);
    return this.save(tx, existing, patched);
  }

  /** What every PUT and PATCH result must pass before it is saved over `existing`. */
  private async checkWrite(tx: Store, next: JsonObject, existing: Resource): Promise<void> {
    this.caseUserName(next);
    this.refusePasswordChange(next, existing);
    if (this.type === 'User') this.team.checkUserNameChange(getKey(existing, 'userName'), getKey(next, 'userName'));
    this.checkGroupName(next, existing);
    await this.checkMembers(tx, next, existing);
    await this.checkDisplayNameFree(tx, next, existing);
  }

  /** RFC 7644 §3.14's If-Match, when resources are versioned: a profile without meta.version has no ETags to match. */
  private checkIfMatch(ifMatch: string | undefined, existing: Resource): void {
    if (this.versioned) checkIfMatch(ifMatch, versionOf(existing));
  }

  /** A userName stored lower-cased, when the profile says so. */
  private caseUserName(resource: JsonObject): void {
    if (this.type !== 'User' || this.profile.users.userNameCase !== 'lower') return;
    const userName = getKey(resource, 'userName');
    if (typeof userName === 'string') setKey(resource, 'userName', userName.toLowerCase());
  }

  /**
   * A group's new displayName must fit in its members' rendered `groups` (scim/resource-limits.ts);
   * a name stored before, under another limit, is kept through writes that leave it alone.
   */
  private checkGroupName(resource: JsonObject, existing?: Resource): void {
    if (this.type !== 'Group') return;
    const name = getKey(resource, 'displayName');
    if (existing === undefined || name !== getKey(existing, 'displayName')) assertGroupName(name);
  }

  /** With `groups.uniqueDisplayName`, a Group's displayName is unique, compared as its caseExact says (409 uniqueness). */
  private async checkDisplayNameFree(store: Store, resource: JsonObject, existing?: Resource): Promise<void> {
    if (this.type !== 'Group' || !this.profile.groups.uniqueDisplayName) return;
    const name = getKey(resource, 'displayName');
    if (typeof name !== 'string') return;
    const exact = this.model.resolve({ attr: 'displayName' })?.attribute.caseExact === true;
    const holders = (await store.findBy('Group', 'displayName', name)).filter((g) => g.id !== existing?.id && (!exact || getKey(g, 'displayName') === name));
    if (holders.length > 0) throw ScimError.conflict(`A group named "${name.slice(0, 200)}" already exists: group names are unique here`);
  }

  /** The profile's PATCH rules for this type; undefined when it applies every op, path and value as RFC 7644 §3.5.2 does. */
  private get patchRules(): PatchRules | undefined {
    const { ops, paths, values } = this.profile.patch;
    const ignoring = this.profile.attributes[this.type].unstored === 'ignore' && this.model !== this.full;
    if (ops.length === PATCH_OPS.length && !paths[this.type] && !values[this.type] && !ignoring) return undefined;
    return {
      ops,
      paths: paths[this.type],
      values: values[this.type],
      coreUrn: this.model.core.id,
      extensions: this.full.extensions.map((e) => e.id),
      ...(ignoring && {
        ignored: (path: string) => isUnstored(path, this.full, this.model),
        partlyStored: (path: string) => isPartlyStored(path, this.full, this.model),
      }),
    };
  }

  async delete(id: string, ifMatch?: string): Promise<void> {
    const existing = await this.store.withLock(this.type, id, async (tx) => {
      const current = await this.view(id, tx);
      this.checkIfMatch(ifMatch, current);
      await tx.delete(this.type, id, versionOf(current));
      return current;
    });
    if (this.type === 'Group' && this.profile.groups.onDelete === 'deactivate-groupless') await this.deactivateGroupless(existing);
  }

  /**
   * After `group` is deleted, its user members that are in no group any more are deactivated, not
   * deleted (Postman ref §4.4: "members assigned only through that group are deactivated").
   */
  private async deactivateGroupless(group: Resource): Promise<void> {
    const members = getKey(group, 'members');
    if (!Array.isArray(members)) return;
    for (const member of members) {
      const value = isObject(member) ? getKey(member, 'value') : undefined;
      if (typeof value !== 'string') continue;
      const user = await this.store.get('User', value);
      if (!user || getKey(user, 'active') === false || (await this.store.groupsWithMember(value)).length > 0) continue;
      const inactive = { ...user };
      setKey(inactive, 'active', false);
      await this.store.replace('User', value, { ...inactive, meta: nextMeta(user, 'User', this.options.now()) }, versionOf(user));
    }
  }

  /** One page of the resources matching `request`, in the requested order; 400 tooMany when the filter needs more than one request's FilterBudget. */
  async list(request: Pick<ListRequest, 'filter' | 'sortBy' | 'sortOrder' | 'startIndex' | 'count'>): Promise<ListResult> {
    if (request.filter && !this.options.compat.ignoreUnknownAttributes) assertKnownFilterPaths(request.filter, this.model);
    if (request.filter) assertFilterSupported(request.filter, this.model);
    const table = this.profile.filter.attributes[this.type];
    if (request.filter && table) assertFilterAttributes(request.filter, table, this.type, this.model.core.id);
    const unsortable = request.sortBy && unfilterable(request.sortBy, this.model);
    if (unsortable) throw ScimError.badRequest('invalidValue', `Cannot sort by it: ${unsortable}`);
    return this.store.list(this.type, {
      filter: request.filter,
      budget: new FilterBudget(),
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
  private async save(tx: Store, existing: Resource, next: JsonObject): Promise<Resource> {
    const { meta: _before, ...beforeRest } = existing;
    const { meta: _after, ...afterRest } = next;
    if (jsonEqual(beforeRest, afterRest)) return existing;
    const id = existing.id as string;
    const resource: Resource = { ...afterRest, id, meta: nextMeta(existing, this.type, this.options.now()) };
    assertWithinLimits(resource, this.type, this.options.resources);
    return tx.replace(this.type, id, resource, versionOf(existing));
  }

  /** When /ServiceProviderConfig says changePassword is unsupported (RFC 7643 §5), a write setting another password is refused. */
  private refusePasswordChange(next: JsonObject, existing: Resource): void {
    if (this.options.declared.changePassword) return;
    const password = getKey(next, 'password');
    if (password !== undefined && password !== getKey(existing, 'password')) {
      throw ScimError.badRequest('mutability', 'Password changes are not supported: /ServiceProviderConfig declares changePassword.supported false');
    }
  }

  /**
   * Group members must name existing Users or Groups; their `type` is filled in (when the profile
   * stores it), or checked when given, so that `$ref` can point at the right endpoint. Members `existing` already had were
   * checked when they were added (and a delete removes them), so only new ones are looked up.
   * With `groups.memberDisplay: computed`, a member's `display` is the server's: the member's name when
   * it was added, whatever the client sent. A user new to the group must be in fewer than
   * MAX_GROUPS_PER_USER groups: its `groups` is rendered from them.
   */
  private async checkMembers(store: Store, resource: JsonObject, existing?: Resource): Promise<void> {
    if (this.type !== 'Group') return;
    const members = getKey(resource, 'members');
    if (!Array.isArray(members)) return;
    const computeDisplay = this.profile.groups.memberDisplay === 'computed';
    const typed = this.model.resolve({ attr: 'members', subAttr: 'type' }) !== undefined;
    const known = new Map<string, JsonObject>();
    const before = existing && getKey(existing, 'members');
    if (Array.isArray(before)) {
      for (const m of before) if (isObject(m) && typeof m.value === 'string') known.set(m.value, m);
    }
    for (const member of members) {
      if (!isObject(member)) continue;
      const value = getKey(member, 'value');
      if (typeof value !== 'string') throw ScimError.badRequest('invalidValue', 'Every member needs a "value": the id of a User or Group');
      if (existing && value === existing.id) throw ScimError.badRequest('invalidValue', 'A group cannot be a member of itself');
      const prior = known.get(value);
      if (typeof prior?.type === 'string' && getKey(member, 'type') === undefined) {
        setKey(member, 'type', prior.type);
        if (computeDisplay) showAs(member, prior.display);
        continue;
      }
      const user = await store.view('User', value);
      const group = user ? undefined : await store.view('Group', value);
      const found = user ? 'User' : group ? 'Group' : undefined;
      if (!found) throw ScimError.badRequest('invalidValue', `Member "${value.slice(0, 200)}" is neither a User nor a Group here`);
      if (user && !known.has(value)) assertMayJoin(value, (await store.groupsWithMember(value)).length);
      const given = getKey(member, 'type');
      if (given !== undefined && (typeof given !== 'string' || given.toLowerCase() !== found.toLowerCase())) {
        throw ScimError.badRequest('invalidValue', `Member "${value.slice(0, 200)}" is a ${found}, not a ${String(given).slice(0, 50)}`);
      }
      if (typed) setKey(member, 'type', found);
      if (computeDisplay) showAs(member, user ? (getKey(user, 'displayName') ?? getKey(user, 'userName')) : getKey(group!, 'displayName'));
    }
  }
}

/** Sets a member's `display`, or removes it when the member has no name to show. */
function showAs(member: JsonObject, display: unknown): void {
  if (typeof display === 'string') setKey(member, 'display', display);
  else deleteKey(member, 'display');
}

/** The services of both resource types; `team` is the server's (a new one of the profile's when left out). */
export function createServices(store: Store, options: ResolvedOptions, team = new Team(options.profile.team, store, options.now)): Record<ResourceTypeName, ResourceService> {
  return { User: new ResourceService('User', store, options, team), Group: new ResourceService('Group', store, options, team) };
}
