/**
 * A seeded generator of hostile SCIM requests for the server fuzz test: each request is built
 * from a few random choices, so a failing case is replayed from its seed and number alone.
 * Requests never name the bystanders (resources the test keeps out of reach) by id.
 */

export const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const SEARCH = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';
const BULK = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';

/** mulberry32: small, fast, and the same numbers for the same seed on every platform. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
}

export interface FuzzRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

const ATTRIBUTES = [
  'userName', 'displayName', 'name.familyName', 'name.givenName', 'emails', 'emails.value', 'emails.type', 'emails.primary', 'active', 'title',
  'externalId', 'id', 'meta.created', 'meta.lastModified', 'meta.version', 'meta.location', 'members', 'members.value', 'groups', 'password',
  'phoneNumbers.value', 'addresses.locality', 'x509Certificates.value', 'schemas', `${ENTERPRISE}:department`, `${ENTERPRISE}:manager.value`,
  `${USER}:userName`, 'nickName', 'unknownAttr', 'urn:x:y:z', '__proto__', 'constructor', 'emails[type eq "work"]', 'emails[type eq "work"].value',
];
const OPERATORS = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'lt', 'ge', 'le', 'pr', 'EQ', 'Co', 'xx', ''];

/** Strings a client might send, from plain to hostile. */
function text(r: Random): string {
  switch (r.int(14)) {
    case 0:
      return '';
    case 1:
      return 'x'.repeat(r.pick([200, 5_000, 70_000]));
    case 2:
      return '\u0000\u0001\u001f';
    case 3:
      return '😀\ud800\udfff é ß İ';
    case 4:
      return '"\\\'';
    case 5:
      return '__proto__';
    case 6:
      return '2024-03-01T10:00:00Z';
    case 7:
      return 'W/"1"';
    case 8:
      return '%00%ZZ%';
    case 9:
      return `bulkId:b${r.int(4)}`;
    default:
      return `v${r.int(50)}${r.pick(['', '@example.com', ' ', 'Ä'])}`;
  }
}

/** Any JSON value, nested up to `depth`; now and then one nested far deeper than SCIM needs. */
export function json(r: Random, depth = 3): unknown {
  if (r.chance(0.01)) {
    let deep: unknown = 1;
    for (let i = 0; i < 200; i++) deep = r.chance(0.5) ? [deep] : { a: deep };
    return deep;
  }
  switch (depth <= 0 ? r.int(5) : r.int(8)) {
    case 0:
      return text(r);
    case 1:
      return r.pick([0, -1, 1.5, 1e308, -0, 2 ** 53 + 1, 42]);
    case 2:
      return r.chance(0.5);
    case 3:
      return null;
    case 4:
      return r.pick(['True', 'False', '1', 'true']);
    case 5:
    case 6: {
      const out: Record<string, unknown> = {};
      for (let i = r.int(4); i > 0; i--) Object.defineProperty(out, r.chance(0.2) ? r.pick(['__proto__', 'constructor', 'prototype']) : r.pick(ATTRIBUTES.concat(['value', 'type', 'primary', 'display', '$ref'])), { value: json(r, depth - 1), enumerable: true, writable: true, configurable: true });
      return out;
    }
    default:
      return Array.from({ length: r.pick([0, 1, 2, 3, 30]) }, () => json(r, depth - 1));
  }
}

/** A filter from the RFC grammar with random parts, sometimes broken. */
export function filter(r: Random, depth = 2): string {
  let out: string;
  if (depth > 0 && r.chance(0.35)) {
    const joined = r.pick([' and ', ' or ', ' AND ', ' Or ']);
    out = `${filter(r, depth - 1)}${joined}${filter(r, depth - 1)}`;
    if (r.chance(0.3)) out = `${r.chance(0.5) ? 'not ' : ''}(${out})`;
  } else if (r.chance(0.1)) {
    out = `${r.pick(['emails', 'members', 'addresses', 'groups'])}[${filter(r, 0)}]`;
  } else {
    const op = r.pick(OPERATORS);
    const value = r.pick([`"${text(r).replace(/"/g, '\\"').slice(0, 300)}"`, '42', '-1.5e3', 'true', 'false', 'null', 'unquoted', '"2011-05-13T04:42:34Z"']);
    out = op === 'pr' ? `${r.pick(ATTRIBUTES)} pr` : `${r.pick(ATTRIBUTES)} ${op} ${value}`;
  }
  if (r.chance(0.05)) out = Array.from({ length: r.pick([30, 60]) }, () => out).join(' or ');
  if (r.chance(0.08)) {
    const at = r.int(out.length + 1);
    out = out.slice(0, at) + r.pick(['(', ')', '[', ']', '"', '\\', ' ', '.', ':', '']) + out.slice(at + r.int(3));
  }
  return out;
}

function user(r: Random): Record<string, unknown> {
  const out: Record<string, unknown> = { schemas: r.chance(0.9) ? [USER] : json(r, 1), userName: r.chance(0.9) ? `fz-${r.int(1e9)}${r.chance(0.1) ? text(r) : ''}` : json(r, 1) };
  for (let i = r.int(4); i > 0; i--) out[r.pick(['name', 'emails', 'active', 'title', 'displayName', 'phoneNumbers', 'password', 'groups', 'id', 'meta', ENTERPRISE, 'nickName', 'x'])] = json(r, 2);
  if (r.chance(0.2)) out.emails = [{ value: `a${r.int(99)}@example.com`, type: 'work', primary: r.chance(0.5) }];
  return out;
}

function group(r: Random, ids: Ids): Record<string, unknown> {
  const known = [...ids.users, ...ids.groups];
  const out: Record<string, unknown> = { schemas: [GROUP], displayName: `fz-g-${r.int(1e9)}` };
  if (r.chance(0.6)) out.members = Array.from({ length: r.int(4) }, () => (r.chance(0.8) && known.length > 0 ? { value: r.pick(known) } : json(r, 1)));
  return out;
}

/** PATCH paths with a value of their type, mostly valid for a User or a Group. */
function typedTarget(r: Random, ids: Ids): [string, unknown] {
  const member = () => ({ value: r.pick([...ids.users, ...ids.groups, 'nope']) });
  return r.pick<() => [string, unknown]>([
    () => ['title', text(r)],
    () => ['active', r.chance(0.5)],
    () => ['displayName', `d${r.int(99)}`],
    () => ['name.familyName', text(r)],
    () => ['name', { givenName: 'G', familyName: text(r) }],
    () => ['emails', [{ value: `m${r.int(99)}@example.com`, type: r.pick(['work', 'home']), primary: r.chance(0.3) }]],
    () => ['emails[type eq "work"].value', `w${r.int(99)}@example.com`],
    () => [`emails[${filter(r, 1)}]`, { display: 'x' }],
    () => ['phoneNumbers', [{ value: `+1 555 ${r.int(9999)}` }]],
    () => [`${ENTERPRISE}:department`, text(r)],
    () => [`${ENTERPRISE}:manager`, { value: r.pick([...ids.users, 'x']) }],
    () => ['members', Array.from({ length: 1 + r.int(3) }, member)],
    () => [`members[value eq "${r.pick([...ids.users, 'x'])}"]`, undefined],
    () => ['externalId', text(r)],
    () => ['userName', `fz-${r.int(1e9)}`],
    () => ['nickName', text(r)],
  ])();
}

function patch(r: Random, ids: Ids): Record<string, unknown> {
  const Operations = Array.from({ length: r.pick([0, 1, 1, 1, 2, 2, 3, 5]) }, () => {
    const op: Record<string, unknown> = { op: r.chance(0.85) ? r.pick(['add', 'replace', 'remove']) : r.pick(['Add', 'Replace', 'Remove', 'move', 42]) };
    if (r.chance(0.7)) {
      const [path, value] = typedTarget(r, ids);
      if (r.chance(0.9)) op.path = path;
      if (value !== undefined && op.op !== 'remove') op.value = op.path === undefined ? { [path.split('[')[0]!.split('.')[0]!]: value } : value;
    } else {
      if (r.chance(0.8)) op.path = r.chance(0.5) ? r.pick(ATTRIBUTES) : text(r).slice(0, 100);
      if (r.chance(0.8)) op.value = json(r, 2);
    }
    return op;
  });
  return { schemas: r.chance(0.9) ? [PATCH_OP] : json(r, 1), Operations: r.chance(0.95) ? Operations : json(r, 1) };
}

function bulk(r: Random, ids: Ids): Record<string, unknown> {
  const Operations = Array.from({ length: r.int(6) }, (_, i) => {
    const method = r.pick(['POST', 'PUT', 'PATCH', 'DELETE', 'GET', 'post']);
    const type = r.pick(['Users', 'Groups'] as const);
    const own = type === 'Users' ? ids.users : ids.groups;
    const target = r.chance(0.5) && own.length > 0 ? r.pick(own) : `bulkId:b${r.int(4)}`;
    const op: Record<string, unknown> = { method, path: method === 'POST' ? `/${type}` : `/${type}/${target}`, bulkId: `b${i}` };
    if (method !== 'DELETE') op.data = method === 'PATCH' ? patch(r, ids) : type === 'Users' ? user(r) : { ...group(r, ids), members: [{ value: `bulkId:b${r.int(4)}` }] };
    if (r.chance(0.1)) op.version = 'W/"1"';
    return op;
  });
  return { schemas: [BULK], Operations, ...(r.chance(0.2) && { failOnErrors: r.pick([0, 1, -1, 'x']) }) };
}

function query(r: Random): string {
  const params: string[] = [];
  if (r.chance(0.5)) params.push(`filter=${encodeURIComponent(filter(r))}`);
  if (r.chance(0.15)) params.push(`attributes=${encodeURIComponent(r.pick(ATTRIBUTES))}`);
  if (r.chance(0.15)) params.push(`excludedAttributes=${encodeURIComponent(r.pick(ATTRIBUTES))}`);
  if (r.chance(0.15)) params.push(`sortBy=${encodeURIComponent(r.pick(ATTRIBUTES))}&sortOrder=${r.pick(['ascending', 'descending', 'x'])}`);
  if (r.chance(0.2)) params.push(`startIndex=${r.pick(['0', '-5', '1', '99999999999999999999', 'x', '2'])}`);
  if (r.chance(0.2)) params.push(`count=${r.pick(['0', '-1', '5', '1e3', '100000', ''])}`);
  if (r.chance(0.03)) params.push(`filter=a&filter=b`);
  if (r.chance(0.02)) params.push(`%ZZ=%`);
  return params.length > 0 ? `?${params.join('&')}` : '';
}

/** The resources a request may name: those the fuzzing created. */
export interface Ids {
  users: readonly string[];
  groups: readonly string[];
}

/** The next hostile request, naming only resources in `ids`. */
export function fuzzRequest(r: Random, base: string, ids: Ids): FuzzRequest {
  const type = r.pick(['Users', 'Groups'] as const);
  const own = type === 'Users' ? ids.users : ids.groups;
  const id = () => (own.length > 0 && r.chance(0.9) ? r.pick(own) : r.pick(['nope', '..', '%2e%2e', 'x'.repeat(2_000), '%00', 'a b', '.search']));
  const kind = r.int(12);
  const headers: Record<string, string> = {};
  const auth = r.int(20);
  if (auth > 1) headers.authorization = 'Bearer t';
  else if (auth === 1) headers.authorization = r.pick(['Bearer wrong', 'Basic Zm9vOmJhcg==', 'Bearer', 'bearer t', 'Token t']);
  let method = 'GET';
  let path = '/Users';
  let body: unknown;
  switch (kind) {
    case 0:
    case 1:
      method = 'POST';
      path = '/Users';
      body = user(r);
      break;
    case 2:
      method = 'POST';
      path = '/Groups';
      body = group(r, ids);
      break;
    case 3:
    case 4:
      method = 'PATCH';
      path = `/${type}/${id()}`;
      body = patch(r, ids);
      break;
    case 5:
      method = 'PUT';
      path = `/${type}/${id()}`;
      body = type === 'Users' ? user(r) : group(r, ids);
      break;
    case 6:
      method = 'POST';
      path = r.pick(['/Users/.search', '/Groups/.search', '/.search']);
      body = { schemas: r.chance(0.9) ? [SEARCH] : json(r, 1), filter: r.chance(0.8) ? filter(r) : json(r, 1), ...(r.chance(0.3) && { count: json(r, 0), startIndex: json(r, 0), attributes: json(r, 1) }) };
      break;
    case 7:
      method = 'POST';
      path = '/Bulk';
      body = bulk(r, ids);
      break;
    case 8:
      method = r.pick(['GET', 'DELETE', 'HEAD', 'GET']);
      path = `/${type}/${id()}`;
      break;
    case 9:
      method = r.pick(METHODS);
      path = r.pick(['/ServiceProviderConfig', '/ResourceTypes', '/ResourceTypes/User', '/Schemas', `/Schemas/${USER}`, '/Me', '/', '/Users/x/y', `/${text(r).slice(0, 50)}`]);
      if (method !== 'GET' && r.chance(0.5)) body = json(r);
      break;
    default:
      method = 'GET';
      path = r.pick(['/Users', '/Groups']);
  }
  if (r.chance(0.05)) method = r.pick(METHODS);
  headers.host = r.chance(0.95) ? 'localhost' : r.pick(['a.example', 'x'.repeat(300), '[::1]:1', 'bad host']);
  if (r.chance(0.05)) headers['if-match'] = r.pick(['*', 'W/"1"', 'garbage', '"x", W/"2"']);
  if (r.chance(0.05)) headers['if-none-match'] = r.pick(['*', 'W/"1"', 'garbage']);
  let payload: string | Buffer | undefined;
  if (body !== undefined) {
    headers['content-type'] = r.chance(0.9) ? r.pick(['application/scim+json', 'application/json', 'application/scim+json; charset=utf-8']) : r.pick(['text/plain', 'application/json; charset=latin1', 'application/', '']);
    switch (r.int(20)) {
      case 0:
        payload = Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]);
        break;
      case 1:
        payload = JSON.stringify(body).slice(0, -1 - r.int(5));
        break;
      case 2:
        payload = '';
        break;
      default:
        payload = JSON.stringify(body);
    }
  }
  const url = `${base}${path}${kind >= 8 ? query(r) : ''}`;
  return { method, url, headers, ...(payload !== undefined && { payload }) };
}
