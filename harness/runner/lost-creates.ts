import { getKey, isObject } from '../../scim/schema/keys.js';
import { createdResources, RESOURCE_ENDPOINT } from '../http/transcript.js';
import type { Exchange, LeftBehind } from '../result.js';

/** The attributes a lost create is looked up by, in the order tried: each is unique on its resource type in practice, and scenarios fill it from `{{unique.*}}`. */
const NAMES = ['userName', 'displayName', 'externalId'] as const;

/**
 * A POST to …/Users or …/Groups whose answer never named what it created (no answer: a timeout, a
 * reset, a body cut short or too large; a 201 without a Location or an id; or a 5xx). The target
 * may have created the resource all the same: what was sent is all there is to find it by.
 */
export interface LostCreate {
  /** The collection the POST went to, without a query. */
  endpoint: string;
  /** What its body named the resource; absent when it named it by none of `NAMES` (or was not recorded as JSON). */
  name?: { attribute: (typeof NAMES)[number]; value: string };
  /** Why its id is unknown, in words. */
  why: string;
}

/** The name the POST's body gave its resource. */
function nameSent(exchange: Exchange): LostCreate['name'] {
  const json = exchange.request.body?.json;
  if (!isObject(json)) return undefined;
  for (const attribute of NAMES) {
    const value = getKey(json, attribute);
    if (typeof value === 'string' && value !== '') return { attribute, value };
  }
  return undefined;
}

/**
 * 501 and 505 say the server does not support what was asked (RFC 9110 §15.6.2, §15.6.6): nothing
 * was done. Any other 5xx says only that the server, or a gateway in front of it, failed, not that
 * nothing was created (RFC 9110 §15.6; a 502 or 504 says nothing at all about the origin).
 */
const REFUSALS = new Set([501, 505]);

/** Why a create's answer named nothing, or undefined when it named what it created or created nothing (a 4xx is a refusal, RFC 9110 §15.5). */
function whyLost(exchange: Exchange): string | undefined {
  const { response } = exchange;
  if (!response) return `its POST got no answer (${exchange.error ?? 'no response'})`;
  if (response.status === 201 && createdResources(exchange).length === 0) return 'its POST was answered 201 without a Location or an id';
  if (response.status >= 500 && response.status <= 599 && !REFUSALS.has(response.status)) return `its POST was answered ${response.status}: it may have been created all the same`;
  return undefined;
}

/** A collection and name in one form: the URL as parsed, without a trailing slash; userName and displayName in lower case, as the lookup compares them (RFC 7643 §8.7.1). */
function nameKey(endpoint: string, { attribute, value }: NonNullable<LostCreate['name']>): string {
  const collection = (URL.canParse(endpoint) ? new URL(endpoint).href : endpoint).replace(/\/$/, '');
  return `${collection} ${attribute} ${attribute === 'externalId' ? value : value.toLowerCase()}`;
}

/**
 * The lost creates among the exchanges, once per collection and name (a retried POST is one
 * resource at most), oldest first. One that a later POST of the same name settled, with a 201
 * naming what it created (an IdP retrying a 5xx: Entra ref §5.5; Okta ref §11, an admin's Retry or
 * the `retryServerErrors` setting), is no longer lost: that resource is a known one, deleted by its
 * URL, and a lookup would only find it again, or a stranger's resource of that name.
 */
export function lostCreates(exchanges: readonly Exchange[]): LostCreate[] {
  const lost = new Map<string, LostCreate>();
  for (const exchange of exchanges) {
    const endpoint = exchange.request.url.split('?')[0] ?? exchange.request.url;
    if (exchange.request.method.toUpperCase() !== 'POST' || !RESOURCE_ENDPOINT.test(endpoint)) continue;
    const name = nameSent(exchange);
    const why = whyLost(exchange);
    if (why === undefined) {
      if (name && createdResources(exchange).length > 0) lost.delete(nameKey(endpoint, name));
      continue;
    }
    const key = name ? nameKey(endpoint, name) : `${endpoint} #${exchange.seq}`;
    if (!lost.has(key)) lost.set(key, { endpoint, ...(name && { name }), why });
  }
  return [...lost.values()];
}

/** `userName "scim-…-ada"`, or what stands for a body that named nothing. */
const lostName = ({ name }: LostCreate) => (name ? `${name.attribute} ${JSON.stringify(name.value)}` : 'a resource its POST named by no userName, displayName or externalId');

/** A lost create the lookup found, at `url`, that stays there: `why` is the DELETE's answer. */
export function foundLeft(scenario: string, lost: LostCreate, url: string, why: string): LeftBehind {
  return { scenario, url, reason: `${lostName(lost)} was found by its name (${lost.why}); ${why}` };
}

/** A lost create listed as possibly left behind: under its collection's URL (it has no other), with its name, and why it could not be settled. */
export function possiblyLeft(scenario: string, lost: LostCreate, why: string): LeftBehind {
  return { scenario, url: lost.endpoint, reason: `${lostName(lost)} may be on the target: ${lost.why}, so its id is unknown; ${why}` };
}
