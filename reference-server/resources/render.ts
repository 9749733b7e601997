import { getKey, isObject, setKey, type JsonObject } from '../../scim/schema/keys.js';
import { project } from '../../scim/projection.js';
import type { Resource, ResourceTypeName, Store } from '../store/types.js';
import type { Projection } from './query.js';
import { MODELS } from './service.js';

const ENDPOINT: Record<ResourceTypeName, string> = { User: 'Users', Group: 'Groups' };

export function locationOf(base: string, type: ResourceTypeName, id: string): string {
  return `${base}/${ENDPOINT[type]}/${encodeURIComponent(id)}`;
}

/**
 * A stored resource as a client sees it: `meta.location` from the URL the client used, a User's
 * computed `groups` (RFC 7643 §4.1.2), members' `$ref`, then the projection the client asked for.
 */
export async function render(type: ResourceTypeName, resource: Resource, base: string, store: Store, projection: Projection = {}): Promise<JsonObject> {
  const id = resource.id as string;
  const out: JsonObject = { ...resource };
  const meta = isObject(resource.meta) ? resource.meta : {};
  out.meta = { ...meta, location: locationOf(base, type, id) };
  if (type === 'User') {
    const groups = await store.groupsWithMember(id);
    if (groups.length > 0) {
      setKey(
        out,
        'groups',
        groups.map((g) => ({ value: g.id, $ref: locationOf(base, 'Group', g.id), display: g.displayName, type: 'direct' })),
      );
    }
  } else {
    const members = getKey(resource, 'members');
    if (Array.isArray(members)) {
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
  return project(out, MODELS[type], projection);
}
