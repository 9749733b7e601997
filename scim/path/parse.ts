import { ScimError } from '../errors.js';
import { formatAttrPath } from '../filter/lex.js';
import { FilterParser, formatFilter, withScimErrors } from '../filter/parse.js';
import type { AttrPath, PatchPath } from './types.js';

export { formatAttrPath };

/**
 * Parses `[URI ":"] ATTRNAME *1subAttr` (RFC 7644 §3.4.2.2 Figure 1; the form of `attributes`,
 * `excludedAttributes` and `sortBy` entries). Throws ScimError 400 invalidPath saying what is wrong and where.
 */
export function parseAttrPath(text: string): AttrPath {
  return withScimErrors('invalidPath', () => {
    const parser = new FilterParser(checked(text), 'path');
    const { path } = parser.attributePath();
    parser.expectEnd();
    return path;
  });
}

/**
 * Parses a PATCH operation's path, `PATH = attrPath / valuePath [subAttr]` (RFC 7644 §3.5.2):
 * `name.familyName`, `members[value eq "2819c223"]`, `emails[type eq "work"].value`,
 * `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager`.
 * Any defect, including one inside the value filter, is a ScimError 400 invalidPath.
 */
export function parsePatchPath(text: string): PatchPath {
  return withScimErrors('invalidPath', () => {
    const parser = new FilterParser(checked(text), 'path');
    const { path, token } = parser.attributePath();
    const valueFilter = parser.valueFilter(path, token);
    const subAttr = valueFilter === undefined ? undefined : parser.subAttrAfterBracket();
    parser.expectEnd();
    const result: PatchPath = { attr: path };
    if (valueFilter !== undefined) result.valueFilter = valueFilter;
    if (subAttr !== undefined) result.subAttr = subAttr;
    return result;
  });
}

/** The canonical text of a PATCH path; `parsePatchPath(formatPatchPath(p))` equals `p`. */
export function formatPatchPath(path: PatchPath): string {
  const filter = path.valueFilter === undefined ? '' : `[${formatFilter(path.valueFilter)}]`;
  const sub = path.subAttr === undefined ? '' : `.${path.subAttr}`;
  return `${formatAttrPath(path.attr)}${filter}${sub}`;
}

/** Guards against a non-string from untyped JSON (e.g. `"path": 5`). */
function checked(text: unknown): string {
  if (typeof text !== 'string') throw ScimError.badRequest('invalidPath', 'The path must be a string');
  return text;
}
