import type { JsonObject } from '../../../scim/schema/keys.js';
import { URN } from '../../../scim/schema/urns.js';
import { buildFrom, extensionUrns, type Leaf } from './mapping.js';
import type { OktaSettings } from './settings.js';

/*
 * Every request Okta sends, as data: method, path relative to the SCIM base URL (with Okta's query
 * string, encoded as Okta encodes it) and body, keys in the order Okta sends them. Pure: the flows
 * decide what to send, the transport sends it.
 */

export interface WireRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  body?: JsonObject;
}

/** A group member as Okta pushes it: the target's user id and the app username, no `type`, no `$ref` (Okta ref §10.3, §13.8). */
export interface Member {
  value: string;
  display: string;
}

const SCIM_JSON = 'application/scim+json';

/**
 * The headers on every request (Okta ref §2.1); Content-Type only with a body (§2.1: GETs carry
 * none). Authorization is the run's credentials, whichever §2.2 form they take.
 */
export function oktaHeaders(request: WireRequest): Record<string, string> {
  return {
    accept: SCIM_JSON,
    'accept-charset': 'utf-8',
    'accept-encoding': 'gzip,deflate',
    'user-agent': 'Okta SCIM Client 1.0.0',
    ...(request.body !== undefined && { 'content-type': `${SCIM_JSON}; charset=utf-8` }),
  };
}

/**
 * The names of `oktaHeaders` and Authorization in the casing and order of the 2019 captures (Okta
 * ref S9: `Accept`, `Accept-Charset`, `Content-Type`, `User-Agent`, `Authorization`, then
 * `Content-Length`, `Host`, `Connection: Keep-Alive`, `Accept-Encoding`, which Okta's HTTP client
 * adds itself). undici writes host, connection and content-length where it writes them; what is
 * and is not byte-exact is in docs/okta.md, Bytes on the wire.
 */
export const OKTA_HEADER_ORDER = ['Accept', 'Accept-Charset', 'Content-Type', 'User-Agent', 'Authorization', 'Accept-Encoding'] as const;

/**
 * Java's URLEncoder: letters, digits and `.-*_` stay, a space is `+` (or `%20`, as current captures
 * show), everything else is %XX of its UTF-8 bytes, upper-case (Okta ref §2.3: `%20`, `%22`, `%40`).
 */
function encodeQueryValue(text: string, space: OktaSettings['filterSpaceEncoding']): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9.*_-]/.test(c)) out += c;
    else if (c === ' ') out += space;
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** A filter string value, always quoted (Okta ref §2.3), with `"` and `\` escaped as in JSON. */
function quoted(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** `attribute eq "value"`, with lowercase `eq` (Okta ref §2.3). */
function eqFilter(attribute: string, value: string): string {
  return `${attribute} eq ${quoted(value)}`;
}

const id = (value: string) => encodeURIComponent(value);

/** Parameters in Okta's order: filter, startIndex, count (Okta ref §2.3). */
function lookup(resource: 'Users' | 'Groups', filter: string, settings: Pick<OktaSettings, 'filterSpaceEncoding'>): WireRequest {
  return { method: 'GET', path: `/${resource}?filter=${encodeQueryValue(filter, settings.filterSpaceEncoding)}&startIndex=1&count=100` };
}

/** The existing-user lookup before a create (Okta ref §4.1). */
export function findUser(attribute: OktaSettings['lookupAttribute'], value: string, settings: Pick<OktaSettings, 'filterSpaceEncoding'>): WireRequest {
  return lookup('Users', eqFilter(attribute, value), settings);
}

/** The lookup before a group create or link (Okta ref §10.1). */
export function findGroup(displayName: string, settings: Pick<OktaSettings, 'filterSpaceEncoding'>): WireRequest {
  return lookup('Groups', eqFilter('displayName', displayName), settings);
}

/** One page of an import, or the Test API Credentials call: `startIndex` then `count` (Okta ref §3, §9). */
export function listPage(resource: 'Users' | 'Groups', startIndex: number, count: number): WireRequest {
  return { method: 'GET', path: `/${resource}?startIndex=${startIndex}&count=${count}` };
}

/**
 * The create POST (Okta ref §4.2): schemas (with each extension's URN), the mapped core attributes,
 * then externalId (the Okta user id), `groups: []`, the password, `active: true`, then the
 * extension objects.
 */
export function createUser(leaves: readonly Leaf[], externalId: string, password: string | undefined): WireRequest {
  const core = leaves.filter((leaf) => !leaf.path[0]!.startsWith('urn:'));
  const extensions = leaves.filter((leaf) => leaf.path[0]!.startsWith('urn:'));
  return {
    method: 'POST',
    path: '/Users',
    body: {
      schemas: [URN.user, ...extensionUrns(leaves)],
      ...buildFrom(core),
      externalId,
      groups: [],
      ...(password !== undefined && { password }),
      active: true,
      ...buildFrom(extensions),
    },
  };
}

export function getUser(remoteId: string): WireRequest {
  return { method: 'GET', path: `/Users/${id(remoteId)}` };
}

/** A PUT of the whole user: the target's own body with Okta's changes applied (Okta ref §5.1). */
export function putUser(remoteId: string, body: JsonObject): WireRequest {
  return { method: 'PUT', path: `/Users/${id(remoteId)}`, body };
}

function patch(path: string, operations: JsonObject[]): WireRequest {
  return { method: 'PATCH', path, body: { schemas: [URN.patchOp], Operations: operations } };
}

/** Deactivate or reactivate: a path-less `replace` whose value is an object (Okta ref §6.1, §7.1, §13.2). */
export function setActive(remoteId: string, active: boolean): WireRequest {
  return patch(`/Users/${id(remoteId)}`, [{ op: 'replace', value: { active } }]);
}

/** Sync Password over PATCH; the shape is UNVERIFIED (Okta ref §8), hence the setting. */
export function setPassword(remoteId: string, password: string, shape: OktaSettings['passwordPatchShape']): WireRequest {
  const operation = shape === 'path' ? { op: 'replace', path: 'password', value: password } : { op: 'replace', value: { password } };
  return patch(`/Users/${id(remoteId)}`, [operation]);
}

/**
 * A profile update over PATCH ("Support PATCH for User"; UNVERIFIED, Okta ref §1, §15: a vendor's
 * claim of "only the changed attributes", no capture): one path-less `replace` of the changed
 * values, like deactivate.
 */
export function patchProfile(remoteId: string, leaves: readonly Leaf[]): WireRequest {
  return patch(`/Users/${id(remoteId)}`, [{ op: 'replace', value: buildFrom(leaves) }]);
}

/** Granular deprovisioning (UNVERIFIED, Okta ref §10.5). */
export function deleteUser(remoteId: string): WireRequest {
  return { method: 'DELETE', path: `/Users/${id(remoteId)}` };
}

/** Push Groups → Create Group: `members: []` (docs) or the members (2021 capture) (Okta ref §10.1). */
export function createGroup(displayName: string, members: readonly Member[]): WireRequest {
  return { method: 'POST', path: '/Groups', body: { schemas: [URN.group], displayName, members: [...members] } };
}

export function getGroup(remoteId: string): WireRequest {
  return { method: 'GET', path: `/Groups/${id(remoteId)}` };
}

/** Rename and reconciliation: path-less `replace` with `id` inside `value` (Okta ref §10.4, §13.11). */
export function renameGroup(remoteId: string, displayName: string): WireRequest {
  return patch(`/Groups/${id(remoteId)}`, [{ op: 'replace', value: { id: remoteId, displayName } }]);
}

/**
 * Membership changes (Okta ref §10.3): removes first, one op each with a value-filter path; then
 * one `add` with `value` and `display` only; at most `batchSize` changes per request.
 */
export function changeMembers(remoteId: string, removes: readonly string[], adds: readonly Member[], batchSize: number): WireRequest[] {
  const changes: ({ remove: string } | { add: Member })[] = [...removes.map((remove) => ({ remove })), ...adds.map((add) => ({ add }))];
  const requests: WireRequest[] = [];
  for (let at = 0; at < changes.length; at += batchSize) {
    const batch = changes.slice(at, at + batchSize);
    const added = batch.flatMap((change) => ('add' in change ? [change.add] : []));
    requests.push(
      patch(`/Groups/${id(remoteId)}`, [
        ...batch.flatMap((change) => ('remove' in change ? [{ op: 'remove', path: `members[value eq ${quoted(change.remove)}]` }] : [])),
        ...(added.length > 0 ? [{ op: 'add', path: 'members', value: added }] : []),
      ]),
    );
  }
  return requests;
}

/** Push Now: `replace` of all members, `[]` for an empty group (Okta ref §10.3, §13.10); path-less is UNVERIFIED. */
export function replaceMembers(remoteId: string, members: readonly Member[], pathless: boolean): WireRequest {
  const operation = pathless ? { op: 'replace', value: { members: [...members] } } : { op: 'replace', path: 'members', value: [...members] };
  return patch(`/Groups/${id(remoteId)}`, [operation]);
}

/** AIW: the whole group, members included (Okta ref §10.3). */
export function putGroup(remoteId: string, displayName: string, members: readonly Member[]): WireRequest {
  return { method: 'PUT', path: `/Groups/${id(remoteId)}`, body: { schemas: [URN.group], id: remoteId, displayName, members: [...members] } };
}

/** Unlink → "Delete the group in the target app" (Okta ref §10.5). */
export function deleteGroup(remoteId: string): WireRequest {
  return { method: 'DELETE', path: `/Groups/${id(remoteId)}` };
}
