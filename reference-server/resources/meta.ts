import { getKey, isObject } from '../../scim/schema/keys.js';
import type { Resource, ResourceTypeName } from '../store/types.js';

/**
 * `meta` as stored: resourceType, created, lastModified and a weak version that counts changes.
 * `location` is not stored: it depends on the URL the client used, and is added when rendering.
 */
export interface StoredMeta {
  resourceType: ResourceTypeName;
  created: string;
  lastModified: string;
  version: string;
}

export function firstMeta(type: ResourceTypeName, now: Date): StoredMeta {
  const stamp = now.toISOString();
  return { resourceType: type, created: stamp, lastModified: stamp, version: 'W/"1"' };
}

export function versionOf(resource: Resource): string | undefined {
  const meta = getKey(resource, 'meta');
  const version = isObject(meta) ? getKey(meta, 'version') : undefined;
  return typeof version === 'string' ? version : undefined;
}

/** The meta of a changed resource: a later lastModified and the next version. */
export function nextMeta(previous: Resource, type: ResourceTypeName, now: Date): StoredMeta {
  const meta = isObject(previous.meta) ? previous.meta : {};
  const count = /^W\/"(\d+)"$/.exec(versionOf(previous) ?? '');
  return {
    resourceType: type,
    created: typeof meta.created === 'string' ? meta.created : now.toISOString(),
    lastModified: now.toISOString(),
    version: `W/"${count ? Number(count[1]) + 1 : 1}"`,
  };
}
