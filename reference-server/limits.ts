import { FILTER_STEP_LIMIT } from '../scim/filter/budget.js';
import { MAX_FILTER_CONDITIONS, MAX_FILTER_DEPTH, MAX_FILTER_LENGTH } from '../scim/filter/parse.js';
import { MAX_VALUES } from '../scim/coerce.js';
import { MAX_GROUP_NAME_BYTES, MAX_GROUPS_PER_USER, renderedBound } from '../scim/resource-limits.js';
import { MAX_JSON_DEPTH } from '../scim/values/depth.js';
import { MAX_HEADER_BYTES } from './http/client-errors.js';
import { MAX_HOST } from './http/base-url.js';
import { CLOCK_BODY_LIMIT, MAX_ADVANCE_MS } from './admin/clock.js';
import { MAX_TOKEN, TOKEN_BODY_LIMIT } from './admin/token.js';
import { HANG_LIMIT_MS, MAX_BODY_BYTES, MAX_DELAY_MS, MAX_RULES } from './faults/types.js';
import type { ResolvedOptions } from './options.js';
import { MAX_PAGE_CHARS, RENDER_CACHE_LIMIT } from './resources/render.js';

/** The longest path segment routed (a resource id): fastify's default of 100 would turn a long unknown id into a 414. */
export const MAX_PATH_SEGMENT = 1024;

/** One limit of the server, as `serve --help` and the README list it. */
export interface Limit {
  what: string;
  /** The bound, with its unit. */
  value: string;
  /** What a request beyond it gets, or how the server keeps to it. */
  beyond: string;
}

const KiB = 1024;
const MiB = 1024 * KiB;

/** A byte count as people read it: `4 MiB`, `64 KiB`, or the plain number. */
function bytes(n: number): string {
  if (n % MiB === 0) return `${n / MiB} MiB`;
  return n % KiB === 0 ? `${n / KiB} KiB` : `${n} bytes`;
}

/** An upper bound in whole KiB, rounded up. */
function kibAtMost(n: number): string {
  return `${Math.ceil(n / KiB)} KiB`;
}

/** A duration in whole minutes, or whole days past a day. */
function minutes(ms: number): string {
  const m = ms / 60_000;
  return m >= 1440 && m % 1440 === 0 ? `${m / 1440} days` : `${m} minutes`;
}

/**
 * Every bound the server puts on what one client can make it do, with `options` applied: what
 * keeps one request, one resource or one client from taking it down (issue 20).
 */
export function serverLimits(options: Pick<ResolvedOptions, 'bodyLimit' | 'maxPageSize' | 'bulk' | 'resources'>): Limit[] {
  return [
    { what: 'request line and headers', value: `${MAX_HEADER_BYTES} bytes`, beyond: '431, and closed' },
    { what: 'Host header (the base URL of links)', value: `${MAX_HOST} characters`, beyond: '400' },
    { what: 'one path segment (an id)', value: `${MAX_PATH_SEGMENT} characters`, beyond: '414' },
    { what: 'request body', value: bytes(options.bodyLimit), beyond: '413' },
    { what: 'JSON nesting in a body', value: `${MAX_JSON_DEPTH} levels`, beyond: '400 invalidSyntax' },
    { what: 'values of an attribute in one request', value: `${MAX_VALUES}`, beyond: '400 invalidValue' },
    { what: 'filter length', value: `${MAX_FILTER_LENGTH} characters`, beyond: '400 invalidFilter' },
    { what: 'filter conditions (in PATCH paths too)', value: `${MAX_FILTER_CONDITIONS}`, beyond: '400 invalidFilter' },
    { what: 'filter nesting: "(", "not (", "["', value: `${MAX_FILTER_DEPTH} levels`, beyond: '400 invalidFilter' },
    { what: 'work of one request (filters, PATCH)', value: `${FILTER_STEP_LIMIT} steps`, beyond: '400 tooMany' },
    { what: 'resources a page (filter.maxResults)', value: `${options.maxPageSize}`, beyond: 'count lowered' },
    { what: 'JSON of the resources of a page', value: bytes(MAX_PAGE_CHARS), beyond: 'fewer, itemsPerPage' },
    { what: 'Bulk operations (bulk.maxOperations)', value: `${options.bulk.maxOperations}`, beyond: '413' },
    { what: 'Bulk body (bulk.maxPayloadSize)', value: bytes(options.bulk.maxPayloadSize), beyond: '413' },
    { what: 'one stored resource, as JSON', value: bytes(options.resources.maxBytes), beyond: '400 invalidValue' },
    { what: 'values of one stored attribute', value: `${options.resources.maxValues}`, beyond: '400 invalidValue' },
    { what: 'groups one user is in', value: `${MAX_GROUPS_PER_USER}`, beyond: '400 invalidValue' },
    { what: "a group's displayName, as JSON", value: bytes(MAX_GROUP_NAME_BYTES), beyond: '400 invalidValue' },
    // What the three limits above leave a rendering: the base URL a client used is not a write's to bound.
    { what: 'one resource rendered, less base URLs', value: kibAtMost(renderedBound(options.resources).bytes), beyond: 'none stored: writes are bounded' },
    { what: 'cache of rendered resources', value: bytes(RENDER_CACHE_LIMIT), beyond: 'emptied when full' },
    // The admin APIs, present only with an admin token: the harness's own client, bounded all the same.
    { what: 'fault admin API: request body', value: bytes(options.bodyLimit), beyond: '413' },
    { what: 'fault admin API: rules held', value: `${MAX_RULES}`, beyond: '400 invalidValue' },
    { what: "fault admin API: a rule's body", value: bytes(MAX_BODY_BYTES), beyond: '400 invalidValue' },
    { what: 'fault admin API: a delay', value: minutes(MAX_DELAY_MS), beyond: '400 invalidValue' },
    { what: 'fault admin API: a hang', value: minutes(HANG_LIMIT_MS), beyond: 'connection reset' },
    { what: 'clock admin API: request body', value: bytes(CLOCK_BODY_LIMIT), beyond: '413' },
    { what: 'clock admin API: one advance', value: minutes(MAX_ADVANCE_MS), beyond: '400 invalidValue' },
    { what: 'token admin API: request body', value: bytes(TOKEN_BODY_LIMIT), beyond: '413' },
    { what: 'token admin API: the token', value: `${MAX_TOKEN} characters`, beyond: '400 invalidValue' },
  ];
}
