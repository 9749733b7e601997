import { ScimError } from '../../scim/errors.js';

/** The entity-tags of an If-Match / If-None-Match header; `*` stands for any. */
function tagsOf(header: string): string[] {
  return header.split(',').map((t) => t.trim()).filter((t) => t !== '');
}

/** Weak comparison (RFC 9110 §8.8.3.2): `W/"3"` and `"3"` name the same version. */
function opaque(tag: string): string {
  return tag.startsWith('W/') ? tag.slice(2) : tag;
}

export function headerMatches(header: string, version: string | undefined): boolean {
  const tags = tagsOf(header);
  if (tags.includes('*')) return version !== undefined;
  return version !== undefined && tags.some((tag) => opaque(tag) === opaque(version));
}

/** RFC 7644 §3.14: a write with an If-Match that names another version fails with 412. */
export function checkIfMatch(header: string | undefined, version: string | undefined): void {
  if (header === undefined || headerMatches(header, version)) return;
  throw new ScimError(412, undefined, `If-Match ${header.slice(0, 200)} does not match the current version ${version ?? '(none)'}: read the resource again and retry`);
}
