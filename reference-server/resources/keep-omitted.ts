import { cloneJson, findKey, isObject, type JsonObject } from '../../scim/schema/keys.js';
import type { ResourceModel } from '../../scim/schema/model.js';

/**
 * A PUT body completed with the stored attributes it omits, for the `put-keeps-omitted` variation
 * (RFC 7644 §3.5.1: attributes a PUT omits "MAY be assumed to be not asserted"). Works on core and
 * extension attributes alike; a complex value given is taken whole, and a key given as null is
 * kept in the body, so it still clears. A body that is no object is left to validation to refuse.
 */
export function keepOmitted(body: unknown, existing: Readonly<JsonObject>, model: ResourceModel): unknown {
  if (!isObject(body)) return body;
  const out: JsonObject = { ...body };
  for (const key of Object.keys(existing)) {
    if (key === 'schemas' || key === 'id' || key === 'meta') continue;
    const given = findKey(out, key);
    const extension = model.extension(key);
    if (given === undefined) {
      out[key] = cloneJson(existing[key]);
      if (extension) listSchema(out, extension.id);
    } else if (extension && isObject(out[given]) && isObject(existing[key])) {
      out[given] = keepMissing(out[given], existing[key]);
    }
  }
  return out;
}

/** `given` with the members of `stored` it lacks, ignoring case as SCIM names do. */
function keepMissing(given: JsonObject, stored: JsonObject): JsonObject {
  const out: JsonObject = { ...given };
  for (const key of Object.keys(stored)) if (findKey(out, key) === undefined) out[key] = cloneJson(stored[key]);
  return out;
}

/** A kept extension must be listed in `schemas` (RFC 7643 §3), which validation checks. */
function listSchema(body: JsonObject, urn: string): void {
  const key = findKey(body, 'schemas');
  const schemas = key === undefined ? undefined : body[key];
  if (!Array.isArray(schemas)) return;
  if (!schemas.some((s) => typeof s === 'string' && s.toLowerCase() === urn.toLowerCase())) body[key!] = [...schemas, urn];
}
