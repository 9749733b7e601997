import { expect } from 'vitest';
import type { createReferenceServer } from '../../reference-server/app.js';
import type { ReferenceServerOptions } from '../../reference-server/options.js';
import { ERROR_SCHEMA } from '../../scim/errors.js';
import { referenceServer } from './store-helpers.js';

/** Shared by the resource endpoint tests: a server on a fake clock, requests with the token, SCIM error checks. */

export const SCIM_TYPE = 'application/scim+json; charset=utf-8';
export const BASE = '/scim/v2';
export const ORIGIN = 'http://localhost:80';
export const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const SEARCH = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const T0 = Date.parse('2024-03-01T10:00:00.000Z');

type InjectResponse = Awaited<ReturnType<ReturnType<typeof createReferenceServer>['app']['inject']>>;
export type Response = InjectResponse;
export type Json = Record<string, any>;

export interface RequestOptions {
  headers?: Record<string, string>;
  /** Sent as the raw payload instead of JSON. */
  raw?: string | Buffer;
  contentType?: string;
}

/** A reference server with the token `t`, a clock that moves only when told, on the test store (store-helpers.ts). */
export function testServer(options: ReferenceServerOptions = {}) {
  let now = T0;
  const server = referenceServer({ tokens: ['t'], now: () => new Date(now), ...options });
  const { app } = server;

  async function request(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD', url: string, body?: unknown, opts: RequestOptions = {}) {
    const headers: Record<string, string> = { authorization: 'Bearer t', ...opts.headers };
    let payload: string | Buffer | undefined;
    if (opts.raw !== undefined) payload = opts.raw;
    else if (body !== undefined) payload = JSON.stringify(body);
    if (payload !== undefined || opts.contentType !== undefined) headers['content-type'] = opts.contentType ?? 'application/scim+json';
    const full = url.startsWith('/') && !url.startsWith(BASE) ? `${BASE}${url}` : url;
    return app.inject({ method, url: full, headers, payload });
  }

  return {
    server,
    app,
    store: server.store,
    /** Moves the clock forward. */
    advance(ms: number) {
      now += ms;
    },
    setTime(ms: number) {
      now = ms;
    },
    get now() {
      return now;
    },
    request,
    get: (url: string, opts?: RequestOptions) => request('GET', url, undefined, opts),
    post: (url: string, body?: unknown, opts?: RequestOptions) => request('POST', url, body, opts),
    put: (url: string, body?: unknown, opts?: RequestOptions) => request('PUT', url, body, opts),
    patch: (url: string, body?: unknown, opts?: RequestOptions) => request('PATCH', url, body, opts),
    del: (url: string, opts?: RequestOptions) => request('DELETE', url, undefined, opts),

    /** POSTs a User (userName and any other attributes) and returns the created resource. */
    async createUser(userName: string, attributes: Json = {}): Promise<Json> {
      const res = await request('POST', '/Users', { schemas: [USER], userName, ...attributes });
      expect(res.statusCode, res.body).toBe(201);
      return res.json();
    },
    async createGroup(displayName: string, memberIds: string[] = [], attributes: Json = {}): Promise<Json> {
      const body: Json = { schemas: [GROUP], displayName, ...attributes };
      if (memberIds.length > 0) body.members = memberIds.map((value) => ({ value }));
      const res = await request('POST', '/Groups', body);
      expect(res.statusCode, res.body).toBe(201);
      return res.json();
    },
    /** A list request with the given query parameters, URL-encoded. */
    list(endpoint: string, params: QueryParams = {}) {
      return request('GET', `${endpoint}${query(params)}`);
    },
  };
}

export type TestServer = ReturnType<typeof testServer>;

/** Query parameters; undefined ones are left out. */
export type QueryParams = Record<string, string | number | undefined>;

export function query(params: QueryParams): string {
  const entries = Object.entries(params).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return '';
  return `?${entries.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`).join('&')}`;
}

export function patchBody(...operations: unknown[]): Json {
  return { schemas: [PATCH_OP], Operations: operations };
}

/** Checks an RFC 7644 §3.12 error answer and returns its body. */
export function expectScimError(res: Response, status: number, scimType?: string): Json {
  expect(res.statusCode, res.body.slice(0, 500)).toBe(status);
  expect(res.headers['content-type']).toBe(SCIM_TYPE);
  const body = res.json() as Json;
  expect(body.schemas).toEqual([ERROR_SCHEMA]);
  expect(body.status).toBe(String(status));
  expect(body.scimType).toBe(scimType);
  expect(typeof body.detail).toBe('string');
  return body;
}

/** The ids of a ListResponse's Resources, in order. */
export function ids(res: Response): string[] {
  expect(res.statusCode, res.body.slice(0, 500)).toBe(200);
  return (res.json().Resources as Json[]).map((r) => r.id as string);
}
