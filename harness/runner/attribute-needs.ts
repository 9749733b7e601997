/**
 * Which attributes a scenario needs the target to have, derived from what it sends and checks,
 * so that a scenario is skipped (not failed) against a target whose /Schemas lacks one. RFC 7643
 * makes every attribute but a few optional; assuming `nickName` exists would fail a correct server.
 */
import { parseFilter } from '../../scim/filter/parse.js';
import type { Filter } from '../../scim/filter/types.js';
import { parseAttrPath, parsePatchPath } from '../../scim/path/parse.js';
import type { AttrPath } from '../../scim/path/types.js';
import { isObject } from '../../scim/schema/keys.js';
import { GROUP_SCHEMA, USER_SCHEMA } from '../../scim/schema/index.js';
import { URN } from '../../scim/schema/urns.js';
import { BodyPathError, parseBodyPath } from '../steps/json-path.js';
import type { RequestSpec, ResponseExpectation, Scenario } from '../types.js';
import type { Exchange } from '../result.js';

export type ResourceKind = 'User' | 'Group';

/** One attribute a scenario uses: `User` `name.givenname`, `User` `urn:…:enterprise:2.0:user:department`. */
export interface AttributeNeed {
  resource: ResourceKind;
  /** Lower case; an extension attribute is qualified by its schema URN. */
  path: string;
  /** As the scenario first wrote it, for messages. */
  written: string;
}

/** The attributes of every resource (RFC 7643 §3.1) and the `schemas` list: never a need. */
const COMMON = new Set(['id', 'externalid', 'meta', 'schemas']);
const CORE: Record<ResourceKind, string> = { User: URN.user.toLowerCase(), Group: URN.group.toLowerCase() };

/** `/Users…` and `/Groups…` name their resource type; anything else has none of its own. */
export function resourceOf(path: string): ResourceKind | undefined {
  const match = /^\/(Users|Groups)(?=[/?]|$)/i.exec(path);
  if (!match) return undefined;
  return match[1]!.toLowerCase() === 'users' ? 'User' : 'Group';
}

/** The part of a path after its schema URN, if any: `department` of `urn:…:2.0:User:department`. */
const localName = (path: string) => path.slice(path.lastIndexOf(':') + 1);

/** Template placeholders replaced by a plain word, so that attribute names can be parsed. */
export const untemplated = (text: string) => text.replace(/\{\{[^}]*\}\}/g, 'x');

class Needs {
  private readonly seen = new Map<string, AttributeNeed>();

  add(resource: ResourceKind, path: string): void {
    const lower = path.toLowerCase();
    const core = `${CORE[resource]}:`;
    const bare = lower.startsWith(core) ? lower.slice(core.length) : lower;
    if (COMMON.has(bare.split('.')[0]!) || bare === '') return;
    const key = `${resource} ${bare}`;
    if (!this.seen.has(key)) this.seen.set(key, { resource, path: bare, written: path.slice(path.length - bare.length) });
  }

  /** `[uri:]attr[.sub]` as parsed from a filter or a path. */
  addAttrPath(resource: ResourceKind, path: AttrPath, sub?: string): void {
    const qualified = path.uri ? `${path.uri}:${path.attr}` : path.attr;
    this.add(resource, qualified);
    const subAttr = sub ?? path.subAttr;
    if (subAttr !== undefined) this.add(resource, `${qualified}.${subAttr}`);
  }

  /** The keys of a resource body (or a path-less PATCH value): attributes, their sub-attributes, extension attributes. */
  addBody(resource: ResourceKind, body: unknown): void {
    if (!isObject(body)) return;
    for (const [key, value] of Object.entries(body)) {
      if (key.toLowerCase().startsWith('urn:')) {
        // An extension's attributes under its URN; the core schema's URN as a key qualifies core attributes.
        if (isObject(value)) for (const inner of Object.keys(value)) this.addValue(resource, `${key}:${inner}`, value[inner]);
        continue;
      }
      this.addValue(resource, key, value);
    }
  }

  /** An attribute and, for a complex value (or a list of them), its sub-attributes. */
  addValue(resource: ResourceKind, attribute: string, value: unknown): void {
    this.add(resource, attribute);
    if (localName(attribute).includes('.')) return;
    for (const element of Array.isArray(value) ? value : [value]) {
      if (isObject(element)) for (const sub of Object.keys(element)) this.add(resource, `${attribute}.${sub}`);
    }
  }

  addFilter(resource: ResourceKind, text: unknown): void {
    if (typeof text !== 'string') return;
    let filter: Filter;
    try {
      filter = parseFilter(untemplated(text));
    } catch {
      return; // A malformed filter is what the step tests, not an attribute it needs.
    }
    this.walkFilter(resource, filter);
  }

  private walkFilter(resource: ResourceKind, filter: Filter, parent?: AttrPath): void {
    switch (filter.kind) {
      case 'compare':
      case 'present':
        if (parent) this.addAttrPath(resource, parent, filter.path.attr);
        else this.addAttrPath(resource, filter.path);
        return;
      case 'and':
      case 'or':
        this.walkFilter(resource, filter.left, parent);
        this.walkFilter(resource, filter.right, parent);
        return;
      case 'not':
        this.walkFilter(resource, filter.filter, parent);
        return;
      case 'valuePath':
        this.addAttrPath(resource, filter.path);
        this.walkFilter(resource, filter.filter, filter.path);
        return;
    }
  }

  /** `attributes`, `excludedAttributes` and `sortBy`: comma-separated attribute paths. */
  addPathList(resource: ResourceKind, text: unknown): void {
    if (typeof text !== 'string') return;
    for (const part of untemplated(text).split(',')) {
      try {
        this.addAttrPath(resource, parseAttrPath(part.trim()));
      } catch {
        // A malformed path is what the step tests.
      }
    }
  }

  addPatch(resource: ResourceKind, body: unknown): void {
    const operations = isObject(body) && Array.isArray(body.Operations) ? body.Operations : [];
    for (const operation of operations) {
      if (!isObject(operation)) continue;
      if (typeof operation.path !== 'string') {
        this.addBody(resource, operation.value);
        continue;
      }
      let parsed;
      try {
        parsed = parsePatchPath(untemplated(operation.path));
      } catch {
        continue; // A malformed path is what the step tests.
      }
      const { attr } = parsed;
      if (attr.uri !== undefined && attr.subAttr === undefined && /:\d+(\.\d+)*$/.test(attr.uri)) {
        // A whole extension as the path (`urn:…:enterprise:2.0:User`): its value holds the extension's attributes.
        this.addBody(resource, { [`${attr.uri}:${attr.attr}`]: operation.value });
        continue;
      }
      this.addAttrPath(resource, attr, parsed.subAttr);
      if (parsed.valueFilter) this.walkFilter(resource, parsed.valueFilter, attr);
      if (attr.subAttr === undefined && parsed.subAttr === undefined) {
        this.addValue(resource, attr.uri ? `${attr.uri}:${attr.attr}` : attr.attr, operation.value);
      }
    }
  }

  get all(): AttributeNeed[] {
    return [...this.seen.values()];
  }
}

/** True when the step expects success: a refusal it expects is what it tests, not a use. */
export function expectsSuccess(expect: ResponseExpectation | undefined): boolean {
  const status = expect?.status;
  if (status === undefined) return true;
  return [status].flat().every((s) => s < 400);
}

function requestNeeds(needs: Needs, request: RequestSpec): void {
  const [path = '', queryText] = String(request.path).split('?', 2);
  const query: Record<string, unknown> = { ...Object.fromEntries(new URLSearchParams(queryText ?? '')), ...request.query };
  const method = String(request.method).toUpperCase();
  const resource = resourceOf(path);
  const search = /\/\.search$/i.test(path) && method === 'POST';
  if (/^\/Bulk$/i.test(path)) {
    const operations = isObject(request.body) && Array.isArray(request.body.Operations) ? request.body.Operations : [];
    for (const operation of operations) {
      if (!isObject(operation) || typeof operation.path !== 'string') continue;
      requestNeeds(needs, { method: String(operation.method ?? 'GET'), path: operation.path, body: operation.data });
    }
    return;
  }
  if (!resource) return;
  needs.addFilter(resource, query.filter);
  needs.addPathList(resource, query.sortBy);
  needs.addPathList(resource, query.attributes);
  needs.addPathList(resource, query.excludedAttributes);
  if (search && isObject(request.body)) {
    needs.addFilter(resource, request.body.filter);
    needs.addPathList(resource, request.body.sortBy);
    for (const key of ['attributes', 'excludedAttributes']) {
      const list = request.body[key];
      if (Array.isArray(list)) needs.addPathList(resource, list.join(','));
    }
  } else if (method === 'PATCH') {
    needs.addPatch(resource, request.body);
  } else if (method === 'POST' || method === 'PUT') {
    needs.addBody(resource, request.body);
  }
}

/** The `users` or `groups` section of an IdP directory that holds `name`. */
function directoryKind(scenario: Scenario, name: string): ResourceKind | undefined {
  const directory = scenario.directory;
  if (!isObject(directory)) return undefined;
  if (isObject(directory.users) && name in directory.users) return 'User';
  if (isObject(directory.groups) && name in directory.groups) return 'Group';
  return undefined;
}

/** An expectation's body path (`name.familyName`, `["urn:…:User"].department`) as an attribute path. */
function bodyPathAttribute(path: string): string | undefined {
  let segments;
  try {
    segments = parseBodyPath(path);
  } catch (error) {
    if (error instanceof BodyPathError) return undefined;
    throw error;
  }
  const keys: string[] = [];
  for (const segment of segments) if ('key' in segment) keys.push(segment.key);
  if (keys.length === 0) return undefined;
  if (keys[0]!.toLowerCase().startsWith('urn:') && keys.length > 1) return `${keys[0]}:${keys.slice(1, 3).join('.')}`;
  return keys.slice(0, 2).join('.');
}

/**
 * What the scenario needs the target to declare: the attributes its requests send, filter, sort and
 * project on (only in steps that expect success), and those its IdP expectations read back.
 */
export function attributeNeeds(scenario: Scenario): AttributeNeed[] {
  const needs = new Needs();
  for (const step of scenario.steps) {
    if (step.kind === 'request' && expectsSuccess(step.expect)) requestNeeds(needs, step.request);
    if (step.kind === 'expect' && step.target) {
      for (const [name, attributes] of Object.entries(step.target)) {
        const kind = directoryKind(scenario, name);
        if (!kind) continue;
        for (const [path, matcher] of Object.entries(attributes)) {
          // Checking that an attribute is absent does not need the target to have it.
          if (isObject(matcher) && (matcher.absent === true || 'not' in matcher)) continue;
          const attribute = bodyPathAttribute(path);
          if (attribute !== undefined) needs.add(kind, attribute);
        }
      }
    }
  }
  return needs.all;
}

/**
 * The attributes an IdP actually sent in its writes (POST, PUT, PATCH), read from the transcript:
 * what a simulator sends depends on its mappings, so it is known only once it has sent it.
 */
export function sentAttributeNeeds(exchanges: readonly Exchange[]): AttributeNeed[] {
  const needs = new Needs();
  for (const exchange of exchanges) {
    const body = exchange.request.body?.json;
    if (exchange.kind !== 'idp' || body === undefined || !['POST', 'PUT', 'PATCH'].includes(exchange.request.method)) continue;
    let path: string;
    try {
      path = new URL(exchange.request.url).pathname;
    } catch {
      continue;
    }
    const endpoint = /\/(Users|Groups)(\/[^/]*)?$/i.exec(path);
    if (endpoint) requestNeeds(needs, { method: exchange.request.method, path: endpoint[0], body });
  }
  return needs.all.filter((need) => !READ_ONLY[need.resource].has(need.path.split('.')[0]!));
}

/**
 * Attributes RFC 7643 makes readOnly (`User.groups`): a server ignores them when a client sends
 * them (RFC 7644 §3.3, §3.5.1), so not declaring them cannot be why it refused a write.
 */
const READ_ONLY: Record<ResourceKind, ReadonlySet<string>> = {
  User: new Set(USER_SCHEMA.attributes.filter((a) => a.mutability === 'readOnly').map((a) => a.name.toLowerCase())),
  Group: new Set(GROUP_SCHEMA.attributes.filter((a) => a.mutability === 'readOnly').map((a) => a.name.toLowerCase())),
};

/**
 * The needs worth naming: a sub-attribute whose attribute is missing too goes without saying
 * (`User.name`, not also `User.name.givenName`).
 */
export function withoutImpliedNeeds(needs: readonly AttributeNeed[]): AttributeNeed[] {
  const paths = new Set(needs.map((n) => `${n.resource} ${n.path}`));
  return needs.filter((need) => {
    const local = localName(need.path);
    const dot = local.indexOf('.');
    return dot < 0 || !paths.has(`${need.resource} ${need.path.slice(0, need.path.length - local.length + dot)}`);
  });
}

/** How a need is shown: `User.nickName` for a core attribute, `User urn:…:department` for an extension's. */
export function showNeed(need: AttributeNeed): string {
  return need.path.startsWith('urn:') ? `${need.resource} ${need.written}` : `${need.resource}.${need.written}`;
}

/**
 * The needs the target does not declare. `declared` maps a resource type to its declared paths;
 * a complex attribute declared without sub-attributes is taken to have any.
 */
export function undeclaredNeeds(needs: readonly AttributeNeed[], declared: Record<string, readonly string[]>): AttributeNeed[] {
  return needs.filter((need) => {
    const paths = declared[need.resource];
    if (paths === undefined) return false;
    if (paths.includes(need.path)) return false;
    const local = localName(need.path);
    const dot = local.indexOf('.');
    if (dot < 0) return true;
    const parent = need.path.slice(0, need.path.length - local.length + dot);
    return !paths.includes(parent) || paths.some((p) => p.startsWith(`${parent}.`));
  });
}
