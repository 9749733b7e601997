import { LENIENT, type Compat } from '../../../../scim/compat.js';
import { isScimError, ScimError } from '../../../../scim/errors.js';
import { matchesFilter } from '../../../../scim/filter/evaluate.js';
import { parseFilter } from '../../../../scim/filter/parse.js';
import { applyPatch } from '../../../../scim/patch/apply.js';
import { groupModel, userModel } from '../../../../scim/schema/index.js';
import { getKey, type JsonObject } from '../../../../scim/schema/keys.js';
import { list, type Answer, type EntraRig, type Sent } from './rig.js';

/**
 * A conforming SCIM target in memory, for the rig: filtered queries, reads by id, creates, PATCH
 * with the scim/ semantics (lenient by default), deletes. Synchronous, so that MockAgent can
 * answer from it; faults are routes the test adds before installing it.
 */
export class FakeTarget {
  readonly users = new Map<string, JsonObject>();
  readonly groups = new Map<string, JsonObject>();
  private seq = 0;

  constructor(private readonly compat: Partial<Compat> = LENIENT) {}

  install(rig: EntraRig): EntraRig {
    return rig.on('GET', /./, (s) => this.handle(s)).on('POST', /./, (s) => this.handle(s)).on('PATCH', /./, (s) => this.handle(s)).on('DELETE', /./, (s) => this.handle(s));
  }

  handle(sent: Sent): Answer {
    try {
      return this.route(sent);
    } catch (error) {
      if (!isScimError(error)) throw error;
      return { status: error.status, body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: String(error.status), detail: error.message } };
    }
  }

  private route(sent: Sent): Answer {
    const url = new URL(sent.path, 'http://target');
    const [, type, id] = url.pathname.split('/') as [string, string, string | undefined];
    const table = type === 'Users' ? this.users : this.groups;
    const model = type === 'Users' ? userModel : groupModel;
    const withoutMembers = url.searchParams.get('excludedAttributes') === 'members';
    const shown = (r: JsonObject) => (withoutMembers ? Object.fromEntries(Object.entries(r).filter(([k]) => k !== 'members')) : r);
    if (sent.method === 'GET' && id === undefined) {
      const filter = parseFilter(url.searchParams.get('filter') ?? '');
      return list([...table.values()].filter((r) => matchesFilter(filter, r, model)).map(shown));
    }
    if (sent.method === 'POST') {
      const body = JSON.parse(sent.body!) as JsonObject;
      const userName = getKey(body, 'userName');
      if (type === 'Users' && [...this.users.values()].some((u) => String(getKey(u, 'userName')).toLowerCase() === String(userName).toLowerCase())) {
        throw new ScimError(409, 'uniqueness', `userName ${String(userName)} is taken`);
      }
      const resource = { ...body, id: `${type === 'Users' ? 'u' : 'g'}${++this.seq}` };
      table.set(resource.id, resource);
      return { status: 201, body: resource };
    }
    const resource = id === undefined ? undefined : table.get(id);
    if (!resource) throw new ScimError(404, undefined, `${type} ${id} not found`);
    if (sent.method === 'GET') return { status: 200, body: shown(resource) };
    if (sent.method === 'DELETE') {
      table.delete(id!);
      return { status: 204 };
    }
    table.set(id!, applyPatch(resource, JSON.parse(sent.body!), model, { compat: this.compat }));
    return { status: 204 };
  }
}
