/** The users every benchmark server holds: the same SCIM body, shaped like what Okta and Entra send. */
export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const TOKEN = 'bench-token';

export const userName = (i: number) => `user${String(i).padStart(6, '0')}@example.com`;

export function userBody(i: number, name = userName(i)) {
  return {
    schemas: [USER_SCHEMA],
    userName: name,
    externalId: `ext-${i}`,
    name: { givenName: `Given${i}`, familyName: `Family${i}`, formatted: `Given${i} Family${i}` },
    displayName: `Given${i} Family${i}`,
    emails: [{ value: name, type: 'work', primary: true }],
    title: 'Engineer',
    active: true,
  };
}

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const DEACTIVATE = { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: false }] };
export const REACTIVATE = { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: true }] };

/** What each benchmark server reports when ready. */
export interface ServerReady {
  type: 'ready';
  /** The SCIM base URL, e.g. http://127.0.0.1:41234/scim/v2 */
  url: string;
  /** The id of a seeded user in the middle of the directory, and its userName. */
  id: string;
  userName: string;
  seedMs: number;
}

/**
 * The fixed answers of the baseline servers (raw node:http, bare fastify): a user as the reference
 * server renders it, and a one-user ListResponse, so that every server sends bodies of one size.
 */
export function fixedAnswers() {
  const user = {
    ...userBody(5000),
    id: '2819c223-7f76-453a-919d-413861904646',
    meta: { resourceType: 'User', created: '2026-01-05T09:00:00.000Z', lastModified: '2026-01-05T09:00:00.000Z', location: 'http://127.0.0.1/scim/v2/Users/2819c223-7f76-453a-919d-413861904646', version: 'W/"1"' },
  };
  const list = { schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: 1, startIndex: 1, itemsPerPage: 1, Resources: [user] };
  return { user, list, userName: userName(5000) };
}
