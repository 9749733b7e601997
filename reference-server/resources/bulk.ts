import { FilterBudget } from '../../scim/filter/budget.js';
import { isScimError, ScimError, type ScimErrorBody } from '../../scim/errors.js';
import { cloneJson, getKey, isObject, setKey } from '../../scim/schema/keys.js';
import { listsSchema, URN } from '../../scim/schema/urns.js';
import type { ServerContext } from '../context.js';
import { withLenientHint, withScimTypePolicy } from '../http/errors.js';
import type { Resource, ResourceTypeName } from '../store/types.js';
import { versionOf } from './meta.js';
import { locationOf } from './render.js';

/*
 * RFC 7644 §3.7 Bulk over the resource services, HTTP-free: the route only parses the body and
 * sends the answer. Operations run one at a time; each failure becomes that operation's result.
 */

export interface BulkOperationResult {
  method?: string;
  bulkId?: string;
  version?: string;
  location?: string;
  /** The status a single request would have got, as a string (RFC 7644 §3.7.3). */
  status: string;
  /** The error body; omitted on success, as RFC 7644 §3.7 allows. */
  response?: ScimErrorBody;
}

export interface BulkResponse {
  schemas: [typeof URN.bulkResponse];
  Operations: BulkOperationResult[];
}

type BulkMethod = 'POST' | 'PUT' | 'PATCH' | 'DELETE';
const METHODS: readonly BulkMethod[] = ['POST', 'PUT', 'PATCH', 'DELETE'];

const ENDPOINTS: Record<string, ResourceTypeName> = { Users: 'User', Groups: 'Group' };
const PATH = /^\/(Users|Groups)(?:\/([^/]+))?$/;

/** A reference is a whole string value, as RFC 7644 §3.7.2's `"value": "bulkId:qwerty"`. */
const REFERENCE = /^bulkId:(.+)$/s;

/** A well-formed operation, ready to run once its references resolve. */
interface Plan {
  method: BulkMethod;
  type: ResourceTypeName;
  /** The resource a PUT, PATCH or DELETE targets: an id, or `ref`, the bulkId standing for one. */
  id?: string;
  ref?: string;
  version?: string;
  data: unknown;
  /** Every bulkId the operation refers to, `ref` included. */
  refs: Set<string>;
}

interface Operation {
  /** What the response echoes. */
  method?: string;
  bulkId?: string;
  path?: string;
  plan: Plan | ScimError;
  /** waiting → (partial: created without its unresolved references →) done. */
  state: 'waiting' | 'partial' | 'done';
  /** The id of a partial POST's resource. */
  createdId?: string;
}

const syntax = (detail: string) => ScimError.badRequest('invalidSyntax', detail);
const brief = (text: string) => text.slice(0, 200);

/** Validates the request, runs its operations and answers RFC 7644 §3.7.3's BulkResponse. */
export async function runBulk(
  body: unknown,
  context: Pick<ServerContext, 'services' | 'options'>,
  base: string,
  onUnexpected: (error: unknown) => void = () => {},
): Promise<BulkResponse> {
  if (!isObject(body)) throw syntax('A BulkRequest must be a JSON object');
  if (!listsSchema(body, URN.bulkRequest)) {
    throw syntax(`"schemas" must list "${URN.bulkRequest}"`);
  }
  const operations = getKey(body, 'Operations');
  if (!Array.isArray(operations)) throw syntax('"Operations" must be an array of operations');
  const failOnErrors = getKey(body, 'failOnErrors') ?? undefined;
  if (failOnErrors !== undefined && !(Number.isSafeInteger(failOnErrors) && (failOnErrors as number) >= 0)) {
    throw syntax('"failOnErrors" must be a non-negative integer');
  }
  const { maxOperations } = context.options.bulk;
  // RFC 7644 §3.7.4: beyond maxOperations the whole request is refused with 413.
  if (operations.length > maxOperations) {
    throw new ScimError(413, undefined, `The bulk request has ${operations.length} operations, more than the maxOperations of ${maxOperations}`);
  }
  const job = new BulkJob(operations.map(parseOperation), context, base, failOnErrors as number | undefined, onUnexpected);
  return { schemas: [URN.bulkResponse], Operations: await job.run() };
}

function parseOperation(raw: unknown): Operation {
  if (!isObject(raw)) return { plan: syntax('Every operation must be an object with "method" and "path"'), state: 'waiting' };
  const method = getKey(raw, 'method');
  const path = getKey(raw, 'path');
  const bulkId = getKey(raw, 'bulkId');
  const verb = typeof method === 'string' ? METHODS.find((m) => m === method.toUpperCase()) : undefined;
  return {
    method: verb ?? (typeof method === 'string' ? method : undefined),
    bulkId: typeof bulkId === 'string' ? bulkId : undefined,
    path: typeof path === 'string' ? path : undefined,
    plan: planOf(verb, method, path, bulkId, getKey(raw, 'version'), getKey(raw, 'data')),
    state: 'waiting',
  };
}

function planOf(verb: BulkMethod | undefined, method: unknown, path: unknown, bulkId: unknown, version: unknown, data: unknown): Plan | ScimError {
  if (!verb) {
    return syntax(typeof method === 'string' ? `"method" must be POST, PUT, PATCH or DELETE, not "${brief(method)}"` : 'Every operation needs a "method"');
  }
  if (typeof path !== 'string') return syntax('Every operation needs a "path", such as /Users or /Users/{id}');
  if (bulkId !== undefined && (typeof bulkId !== 'string' || bulkId === '')) return syntax('"bulkId" must be a non-empty string');
  if (verb === 'POST' && bulkId === undefined) return syntax('A POST operation needs a "bulkId" (RFC 7644 §3.7)');
  if (version !== undefined && typeof version !== 'string') return syntax('"version" must be a string: an entity-tag such as W/"3"');
  const match = PATH.exec(path);
  if (!match) return ScimError.notFound(`No endpoint at ${brief(path)}: bulk operations go to /Users, /Groups or a resource under them`);
  const type = ENDPOINTS[match[1]!]!;
  if (verb === 'POST' && match[2] !== undefined) return new ScimError(405, undefined, `POST creates a resource: its path is /${match[1]}, without an id`);
  if (verb !== 'POST' && match[2] === undefined) return new ScimError(405, undefined, `${verb} needs the path of one resource, such as /${match[1]}/{id}`);
  const plan: Plan = { method: verb, type, version, data, refs: new Set() };
  if (verb !== 'DELETE') collectRefs(data, plan.refs);
  if (match[2] !== undefined) {
    let id: string;
    try {
      id = decodeURIComponent(match[2]);
    } catch {
      return new ScimError(400, undefined, 'The path is not valid: check its percent-encoding');
    }
    const ref = REFERENCE.exec(id)?.[1];
    if (ref === undefined) {
      plan.id = id;
    } else {
      plan.ref = ref;
      plan.refs.add(ref);
    }
  }
  return plan;
}

function collectRefs(value: unknown, into: Set<string>): void {
  if (typeof value === 'string') {
    const ref = REFERENCE.exec(value)?.[1];
    if (ref !== undefined) into.add(ref);
  } else if (Array.isArray(value)) {
    for (const item of value) collectRefs(item, into);
  } else if (isObject(value)) {
    for (const key of Object.keys(value)) collectRefs(value[key], into);
  }
}

const DROP = Symbol('drop');

/**
 * Replaces the references in `value` (a copy: objects and arrays change in place) with `idOf`'s
 * ids. A reference without one drops the complex value holding it (a member, a manager), or the
 * attribute when the resource itself holds it: what a circular POST is first created without.
 */
function replaceRefs(value: unknown, idOf: (bulkId: string) => string | undefined, top = true): unknown {
  if (typeof value === 'string') {
    const ref = REFERENCE.exec(value)?.[1];
    return ref === undefined ? value : (idOf(ref) ?? DROP);
  }
  if (Array.isArray(value)) {
    let kept = 0;
    for (const item of value) {
      const replaced = replaceRefs(item, idOf, false);
      if (replaced !== DROP) value[kept++] = replaced;
    }
    value.length = kept;
  } else if (isObject(value)) {
    for (const key of Object.keys(value)) {
      const child = value[key];
      const replaced = replaceRefs(child, idOf, false);
      if (replaced === DROP && typeof child === 'string' && !top) return DROP;
      if (replaced === DROP) delete value[key];
      else if (replaced !== child) setKey(value, key, replaced);
    }
  }
  return value;
}

/** The state of one bulk request while it runs. */
class BulkJob {
  /** bulkId → the id of the resource its POST created (partial ones included). */
  private readonly ids = new Map<string, string>();
  /** bulkIds whose POST failed. */
  private readonly failed = new Set<string>();
  /** bulkId → the POST declaring it: the first, as bulkIds must be unique in a request. */
  private readonly declared = new Map<string, Operation>();
  private readonly results: BulkOperationResult[] = [];
  private errors = 0;
  /** The work its PATCH operations may do, together: a Bulk is one request. */
  private readonly budget = new FilterBudget();

  constructor(
    private readonly operations: Operation[],
    private readonly context: Pick<ServerContext, 'services' | 'options'>,
    private readonly base: string,
    private readonly failOnErrors: number | undefined,
    private readonly onUnexpected: (error: unknown) => void,
  ) {
    for (const op of operations) {
      if (op.method !== 'POST' || op.bulkId === undefined) continue;
      if (!this.declared.has(op.bulkId)) this.declared.set(op.bulkId, op);
      else if (!isScimError(op.plan)) op.plan = ScimError.badRequest('invalidValue', `bulkId "${brief(op.bulkId)}" is already used by an earlier operation: bulkIds must be unique`);
    }
  }

  /**
   * Runs operations in request order, except that one waits for the POSTs it refers to (RFC 7644
   * §3.7.1 lets the server reorder). When every waiting operation waits on another, a referenced
   * POST is created without its unresolved references and completed by a replace once they resolve.
   */
  async run(): Promise<BulkOperationResult[]> {
    while (!this.stopped()) {
      const partial = this.operations.find((op) => op.state === 'partial' && this.ready(op));
      if (partial) {
        await this.complete(partial);
        continue;
      }
      const next = this.operations.find((op) => op.state === 'waiting' && this.ready(op));
      if (next) {
        await this.runOne(next);
        continue;
      }
      const awaited = this.awaitedPost();
      if (!awaited) break;
      await this.createPartial(awaited);
    }
    // Stopped by failOnErrors: a resource created for a POST that never completed is not kept.
    for (const op of this.operations) if (op.state === 'partial') await this.discard(op);
    return this.results;
  }

  private stopped(): boolean {
    return this.failOnErrors !== undefined && this.errors > 0 && this.errors >= this.failOnErrors;
  }

  /** Whether `bulkId` names a resource to use, or will never name one (its operation will fail). */
  private settled(bulkId: string): boolean {
    return this.ids.has(bulkId) || this.failed.has(bulkId) || !this.declared.has(bulkId);
  }

  /** An operation can run once its references are settled, or as soon as one never will be (it fails). */
  private ready(op: Operation): boolean {
    if (isScimError(op.plan) || this.unresolvable(op.plan)) return true;
    const { ref, refs } = op.plan;
    for (const r of refs) if (!this.settled(r)) return false;
    // A PUT, PATCH or DELETE of a partial resource waits for its completion.
    return ref === undefined || this.declared.get(ref)!.state !== 'partial';
  }

  /** The first waiting POST that an unfinished operation refers to: the one to create first in a cycle. */
  private awaitedPost(): Operation | undefined {
    const awaited = new Set<string>();
    for (const op of this.operations) {
      if (op.state !== 'done' && !isScimError(op.plan)) for (const r of op.plan.refs) awaited.add(r);
    }
    return this.operations.find((op) => op.state === 'waiting' && op.method === 'POST' && !isScimError(op.plan) && awaited.has(op.bulkId!));
  }

  /** The 409 of RFC 7644 §3.7.1 for a reference that cannot be resolved, if `plan` has one. */
  private unresolvable(plan: Plan): ScimError | undefined {
    for (const r of plan.refs) {
      if (!this.declared.has(r)) return new ScimError(409, undefined, `"bulkId:${brief(r)}" cannot be resolved: no POST in this request has bulkId "${brief(r)}"`);
      if (this.failed.has(r)) return new ScimError(409, undefined, `"bulkId:${brief(r)}" cannot be resolved: the POST with that bulkId failed`);
    }
    return undefined;
  }

  private async runOne(op: Operation): Promise<void> {
    op.state = 'done';
    const plan = op.plan;
    if (isScimError(plan)) return this.fail(op, plan);
    try {
      const problem = this.unresolvable(plan);
      if (problem) throw problem;
      const data = replaceRefs(cloneJson(plan.data), (r) => this.ids.get(r));
      const id = plan.id ?? (plan.ref === undefined ? undefined : this.ids.get(plan.ref));
      const service = this.context.services[plan.type];
      switch (plan.method) {
        case 'POST': {
          const created = await service.create(data);
          this.ids.set(op.bulkId!, created.id as string);
          return this.succeed(op, 201, created);
        }
        case 'PUT':
          return this.succeed(op, 200, await service.replace(id!, data, plan.version));
        case 'PATCH':
          return this.succeed(op, this.context.options.patchStatus, await service.patch(id!, data, plan.version, this.budget));
        case 'DELETE':
          await service.delete(id!, plan.version);
          return this.succeed(op, 204);
      }
    } catch (error) {
      this.fail(op, error);
    }
  }

  private async createPartial(op: Operation): Promise<void> {
    const plan = op.plan as Plan;
    try {
      const created = await this.context.services[plan.type].create(replaceRefs(cloneJson(plan.data), (r) => this.ids.get(r)));
      op.state = 'partial';
      op.createdId = created.id as string;
      this.ids.set(op.bulkId!, op.createdId);
    } catch (error) {
      op.state = 'done';
      if (!isScimError(error)) return this.fail(op, error);
      // RFC 7644 §3.7.1: the server "MAY stop after a failed attempt and instead return HTTP status code 409".
      this.fail(op, new ScimError(409, undefined, `Circular bulkId references could not be resolved: creating the resource without them failed: ${error.detail}`));
    }
  }

  private async complete(op: Operation): Promise<void> {
    op.state = 'done';
    const plan = op.plan as Plan;
    try {
      const problem = this.unresolvable(plan);
      if (problem) throw problem;
      const data = replaceRefs(cloneJson(plan.data), (r) => this.ids.get(r));
      this.succeed(op, 201, await this.context.services[plan.type].replace(op.createdId!, data));
    } catch (error) {
      await this.discard(op);
      this.fail(op, error);
    }
  }

  /** Deletes a partial POST's resource: the POST did not happen. */
  private async discard(op: Operation): Promise<void> {
    this.ids.delete(op.bulkId!);
    try {
      await this.context.services[(op.plan as Plan).type].delete(op.createdId!);
    } catch (error) {
      if (!isScimError(error)) this.onUnexpected(error);
    }
  }

  private succeed(op: Operation, status: number, resource?: Resource): void {
    const plan = op.plan as Plan;
    const id = resource ? (resource.id as string) : (plan.id ?? this.ids.get(plan.ref!)!);
    // A profile whose resources show no meta.version has no ETags to report either.
    const versioned = this.context.options.profile.attributes[plan.type].meta.includes('version');
    this.record(op, status, locationOf(this.base, plan.type, id), resource && versioned ? versionOf(resource) : undefined);
  }

  private fail(op: Operation, error: unknown): void {
    if (op.bulkId !== undefined && this.declared.get(op.bulkId) === op) this.failed.add(op.bulkId);
    if (!isScimError(error)) this.onUnexpected(error);
    const scim = isScimError(error) ? withLenientHint(error) : new ScimError(500, undefined, 'Internal server error');
    const shown = withScimTypePolicy(scim, this.context.options.profile.errors.scimType);
    this.record(op, scim.status, this.failureLocation(op), undefined, shown.toBody());
    this.errors++;
  }

  /** RFC 7644 §3.7.3: every result has a location but a failed POST's; a path that names nothing is shown as sent. */
  private failureLocation(op: Operation): string | undefined {
    if (op.method === 'POST') return undefined;
    const plan = op.plan;
    if (!isScimError(plan)) {
      const id = plan.id ?? this.ids.get(plan.ref!);
      if (id !== undefined) return locationOf(this.base, plan.type, id);
    }
    return op.path === undefined ? undefined : `${this.base}/${op.path.replace(/^\/+/, '')}`;
  }

  private record(op: Operation, status: number, location?: string, version?: string, response?: ScimErrorBody): void {
    const result: Partial<BulkOperationResult> = {};
    if (op.method !== undefined) result.method = op.method;
    if (op.bulkId !== undefined) result.bulkId = op.bulkId;
    if (location !== undefined) result.location = location;
    if (version !== undefined) result.version = version;
    result.status = String(status);
    if (response !== undefined) result.response = response;
    this.results.push(result as BulkOperationResult);
  }
}
