import { ScimError } from '../../scim/errors.js';
import { parseFilter } from '../../scim/filter/parse.js';
import type { Filter } from '../../scim/filter/types.js';
import { assertFilterOperators } from '../../scim/profile/filter.js';
import { parseAttrPath } from '../../scim/path/parse.js';
import type { AttrPath } from '../../scim/path/types.js';
import { getKey, isObject } from '../../scim/schema/keys.js';
import { listsSchema, URN } from '../../scim/schema/urns.js';
import { readSortOrder, type SortOrder } from '../../scim/sort.js';
import type { Profile } from '../../scim/profile/fields.js';
import type { ResolvedOptions } from '../options.js';

/** A list request, from a query string (RFC 7644 §3.4.2) or a SearchRequest body (§3.4.3), checked. */
export interface ListRequest {
  filter?: Filter;
  sortBy?: AttrPath;
  sortOrder: SortOrder;
  /** 1-based; values below 1 are read as 1 (§3.4.2.4), or refused when the profile says. */
  startIndex: number;
  /** At most the server's page size; negative values are read as 0 (§3.4.2.4). */
  count: number;
  attributes?: AttrPath[];
  excludedAttributes?: AttrPath[];
}

/** The projection parameters alone, for GET by id, POST, PUT and PATCH answers. */
export type Projection = Pick<ListRequest, 'attributes' | 'excludedAttributes'>;

/** Beyond ±2^53 an integer has no exact value; every such startIndex or count means "past anything stored". */
const clampInteger = (n: number): number => Math.max(-Number.MAX_SAFE_INTEGER, Math.min(Number.MAX_SAFE_INTEGER, n));

function integer(name: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  // Any integer is valid (RFC 7644 §3.4.2.4): a huge count is clamped to the page size, not refused.
  if (typeof value === 'number' && Number.isInteger(value)) return clampInteger(value);
  if (typeof value === 'string' && /^[-+]?\d+$/.test(value.trim())) return clampInteger(Number(value.trim()));
  throw ScimError.badRequest('invalidValue', `${name} must be an integer, got ${JSON.stringify(value).slice(0, 100)}`);
}

function text(name: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  throw ScimError.badRequest('invalidValue', `${name} must be given once, as a string`);
}

function attributeList(name: string, value: unknown): AttrPath[] | undefined {
  if (value === undefined) return undefined;
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : undefined;
  if (!items || items.some((item) => typeof item !== 'string')) {
    throw ScimError.badRequest('invalidValue', `${name} must be a comma-separated list of attribute names`);
  }
  const names = (items as string[]).map((item) => item.trim()).filter((item) => item !== '');
  return names.map((item) => {
    try {
      return parseAttrPath(item);
    } catch (error) {
      if (error instanceof ScimError) throw ScimError.badRequest('invalidValue', `${name}: ${error.message}`);
      throw error;
    }
  });
}

function sortBy(value: unknown): AttrPath | undefined {
  const name = text('sortBy', value);
  if (name === undefined || name === '') return undefined;
  try {
    return parseAttrPath(name);
  } catch (error) {
    if (error instanceof ScimError) throw ScimError.badRequest('invalidValue', `sortBy: ${error.message}`);
    throw error;
  }
}

export function readProjection(source: Record<string, unknown>): Projection {
  const projection: Projection = {};
  const attributes = attributeList('attributes', source.attributes);
  const excluded = attributeList('excludedAttributes', source.excludedAttributes);
  if (attributes) projection.attributes = attributes;
  if (excluded) projection.excludedAttributes = excluded;
  return projection;
}

/** Reads the list parameters; `source` is a parsed query string or a SearchRequest body. */
export function readListRequest(source: Record<string, unknown>, options: Pick<ResolvedOptions, 'maxPageSize' | 'compat' | 'profile'>): ListRequest {
  const { maxPageSize, compat, profile } = options;
  const filterText = text('filter', source.filter);
  const startIndex = integer('startIndex', source.startIndex) ?? 1;
  if (startIndex < 1 && profile.paging.startIndexBelowOne === 'refuse') {
    throw ScimError.badRequest('invalidValue', `startIndex must be 1 or more, got ${startIndex}: the first result is 1`);
  }
  const request: ListRequest = {
    ...readProjection(source),
    sortOrder: readSortOrder(text('sortOrder', source.sortOrder)),
    startIndex: Math.max(1, startIndex),
    count: Math.min(maxPageSize, Math.max(0, integer('count', source.count) ?? profile.paging.defaultCount ?? maxPageSize)),
  };
  if (filterText !== undefined && filterText.trim() !== '') {
    request.filter = parseFilter(filterText, { unquotedValues: compat.unquotedFilterValues });
    assertFilterOperators(request.filter, profile.filter.operators);
  }
  const by = sortBy(source.sortBy);
  if (by) request.sortBy = by;
  return request;
}

/** List parameters without those the profile ignores (`parameters.ignored`): read as if they were not sent. */
export function withoutIgnored(parameters: Record<string, unknown>, profile: Pick<Profile, 'parameters'>): Record<string, unknown> {
  const { ignored } = profile.parameters;
  if (ignored.length === 0) return parameters;
  return Object.fromEntries(Object.entries(parameters).filter(([name]) => !(ignored as readonly string[]).includes(name)));
}

/** The members of a SearchRequest body (RFC 7644 §3.4.3), by their RFC names, whatever their case. */
export function searchRequestFields(body: unknown): Record<string, unknown> {
  if (!isObject(body)) throw ScimError.badRequest('invalidSyntax', `A search needs a JSON body with "schemas": ["${URN.searchRequest}"]`);
  if (!listsSchema(body, URN.searchRequest)) {
    throw ScimError.badRequest('invalidSyntax', `A search body's "schemas" must contain "${URN.searchRequest}"`);
  }
  const fields: Record<string, unknown> = {};
  for (const name of ['attributes', 'excludedAttributes', 'filter', 'sortBy', 'sortOrder', 'startIndex', 'count']) {
    const value = getKey(body, name);
    if (value !== undefined && value !== null) fields[name] = value;
  }
  return fields;
}
