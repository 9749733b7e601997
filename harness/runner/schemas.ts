import { getKey, isObject } from '../../scim/schema/keys.js';
import { URN } from '../../scim/schema/urns.js';
import { RequestFailedError, type ScimClient } from '../http/client.js';
import type { Transcript } from '../http/transcript.js';

/** Attribute paths as `attributeNeeds` writes them: lower case, sub-attributes after a dot, extensions qualified. */
function schemaPaths(schema: Record<string, unknown>, qualifier: string): string[] {
  const attributes = getKey(schema, 'attributes');
  if (!Array.isArray(attributes)) return [];
  const paths: string[] = [];
  for (const attribute of attributes) {
    const name = isObject(attribute) ? getKey(attribute, 'name') : undefined;
    if (typeof name !== 'string') continue;
    const path = `${qualifier}${name}`.toLowerCase();
    paths.push(path);
    const subs = getKey(attribute as Record<string, unknown>, 'subAttributes');
    if (!Array.isArray(subs)) continue;
    for (const sub of subs) {
      const subName = isObject(sub) ? getKey(sub, 'name') : undefined;
      if (typeof subName === 'string') paths.push(`${path}.${subName.toLowerCase()}`);
    }
  }
  return paths;
}

/**
 * The attributes the target declares in GET /Schemas (RFC 7644 §4, RFC 7643 §7), by resource
 * type, as `declaredAttributes` reads them. Undefined when /Schemas cannot be read: then nothing
 * is known and every attribute is assumed, as the reports say; `unanswered` says why when the
 * request got no answer at all (a target that hangs there), for the run to say once.
 */
export async function discoverAttributes(client: ScimClient, transcript: Transcript): Promise<{ attributes?: Record<string, string[]>; unanswered?: string }> {
  let json: unknown;
  try {
    const response = await client.send({ method: 'GET', path: '/Schemas' }, { transcript, kind: 'discovery', step: null });
    if (response.status !== 200) return {};
    json = response.json;
  } catch (error) {
    if (!(error instanceof RequestFailedError)) throw error;
    return { unanswered: error.message };
  }
  // A ListResponse (RFC 7644 §4); some services answer a bare array.
  const schemas = Array.isArray(json) ? json : isObject(json) ? getKey(json, 'Resources') : undefined;
  const attributes = Array.isArray(schemas) ? declaredAttributes(schemas) : undefined;
  return attributes ? { attributes } : {};
}

/**
 * The attributes a list of Schema resources declares, by resource type: the core User and Group
 * schemas' attributes unqualified, any other schema's (an extension) qualified by its URN under
 * both. Undefined when neither core schema is among them.
 */
export function declaredAttributes(schemas: readonly unknown[]): Record<string, string[]> | undefined {
  const declared: Record<string, string[]> = {};
  const extensions: string[] = [];
  for (const schema of schemas) {
    const id = isObject(schema) ? getKey(schema, 'id') : undefined;
    if (typeof id !== 'string') continue;
    const lower = id.toLowerCase();
    if (lower === URN.user.toLowerCase()) (declared.User ??= []).push(...schemaPaths(schema as Record<string, unknown>, ''));
    else if (lower === URN.group.toLowerCase()) (declared.Group ??= []).push(...schemaPaths(schema as Record<string, unknown>, ''));
    else extensions.push(...schemaPaths(schema as Record<string, unknown>, `${id}:`));
  }
  for (const paths of Object.values(declared)) paths.push(...extensions);
  return Object.keys(declared).length > 0 ? declared : undefined;
}
