import { getKey, isObject } from '../../scim/schema/keys.js';
import { RequestFailedError, type OutgoingRequest, type ScimClient } from '../http/client.js';
import type { Transcript } from '../http/transcript.js';
import { describeAnswer, serverAnswer } from '../steps/server-answer.js';
import { notDeleted, whyLeft } from './left-behind.js';
import { foundLeft, lostCreates, possiblyLeft, type LostCreate } from './lost-creates.js';
import type { Exchange, LeftBehind } from '../result.js';

/** How many resources the lookup of a lost create reads: one, or a few when the target let a retry create it again. */
const LOOKUP_COUNT = 10;

/** Sends a cleanup request; a request that got no answer is its exchange too, with the error. */
async function send(client: ScimClient, transcript: Transcript, request: OutgoingRequest): Promise<Exchange> {
  try {
    return (await client.send(request, { transcript, kind: 'cleanup', step: null })).exchange;
  } catch (error) {
    if (!(error instanceof RequestFailedError)) throw error;
    return error.exchange;
  }
}

/**
 * What names one resource whatever form its URL is written in (scheme and host case, a trailing
 * slash, percent-encoding): its collection and id, an id being unique on the target (RFC 7643
 * §3.1). A URL that names no `…/collection/id` stands for itself, as parsed.
 */
function resourceKey(url: string): string {
  if (!URL.canParse(url)) return url;
  const parsed = new URL(url);
  const [collection, id] = parsed.pathname.split('/').filter((segment) => segment !== '').slice(-2);
  if (collection === undefined || id === undefined) return parsed.href;
  const decode = (segment: string) => {
    try {
      return decodeURIComponent(segment);
    } catch {
      return segment;
    }
  };
  return `${decode(collection).toLowerCase()}/${decode(id)}`;
}

/** Whether a found value is the name sent: userName and displayName ignore case, externalId does not (RFC 7643 §8.7.1 caseExact). */
function sameName(found: unknown, { attribute, value }: NonNullable<LostCreate['name']>): boolean {
  if (typeof found !== 'string') return false;
  return attribute === 'externalId' ? found === value : found.toLowerCase() === value.toLowerCase();
}

/**
 * Finds a lost create on the target by the name it sent, with one filtered GET (RFC 7644 §3.4.2.2,
 * `eq`), and deletes what it finds that the cleanup has not `tried` already; answers what stays,
 * or may. Only a name from the scenario's `{{unique.*}}` values (`ours`) is looked up, so that
 * nothing the run did not create is ever deleted.
 */
async function settleLost(
  scenario: string,
  lost: LostCreate,
  ours: (value: string) => boolean,
  transcript: Transcript,
  client: ScimClient,
  /** The resources (by `resourceKey`) a DELETE was sent for. */
  tried: Set<string>,
): Promise<LeftBehind[]> {
  const { name } = lost;
  if (!name) return [possiblyLeft(scenario, lost, 'there is nothing to look it up by')];
  if (!ours(name.value)) return [possiblyLeft(scenario, lost, "not looked up: the name is none of the scenario's unique values, so what it finds could be someone else's")];
  const filter = `${name.attribute} eq ${JSON.stringify(name.value)}`;
  const lookup = await send(client, transcript, { method: 'GET', path: lost.endpoint, query: [['filter', filter], ['count', LOOKUP_COUNT]] });
  const answer = serverAnswer(lookup);
  if (!answer) return [possiblyLeft(scenario, lost, `the lookup by filter failed: ${lookup.error ?? 'no response'}`)];
  // A target may refuse filters (RFC 7644 §3.4.2.2, 400 invalidFilter; 501): the resource cannot be found.
  if (answer.status === 400 || answer.status === 501) return [possiblyLeft(scenario, lost, `the target refused the lookup by filter: GET answered ${describeAnswer(answer)}`)];
  const json = lookup.response?.body?.json;
  const resources = isObject(json) ? getKey(json, 'Resources') : undefined;
  const total = isObject(json) ? getKey(json, 'totalResults') : undefined;
  // `Resources` may be left out when nothing matched (RFC 7644 §3.4.2).
  if (answer.status !== 200 || (!Array.isArray(resources) && total !== 0)) {
    return [possiblyLeft(scenario, lost, `the lookup by filter answered ${describeAnswer(answer)}, not a list`)];
  }
  const found = Array.isArray(resources) ? resources : [];
  if (!found.every((resource) => isObject(resource) && sameName(getKey(resource, name.attribute), name))) {
    return [possiblyLeft(scenario, lost, 'the lookup by filter answered resources of other names: the target ignores the filter')];
  }
  const left: LeftBehind[] = [];
  if (typeof total === 'number' && total > found.length) left.push(possiblyLeft(scenario, lost, `${total} resources have the name, more than the lookup read`));
  for (const resource of found) {
    const id = getKey(resource, 'id');
    if (typeof id !== 'string' || id === '') {
      left.push(possiblyLeft(scenario, lost, 'the lookup found it without an id'));
      continue;
    }
    const url = `${lost.endpoint.replace(/\/$/, '')}/${encodeURIComponent(id)}`;
    if (tried.has(resourceKey(url))) continue;
    tried.add(resourceKey(url));
    const reason = whyLeft(await send(client, transcript, { method: 'DELETE', path: url }));
    if (reason !== undefined) left.push(foundLeft(scenario, lost, url, reason));
  }
  return left;
}

/**
 * Deletes what the scenario created, newest first, except what a step already deleted; then looks
 * up each create whose answer was lost, and deletes it if the target has it. Answers what it could
 * not delete, and why. Cleanup is not conformance: failures are recorded in the transcript and
 * listed as left behind, and fail nothing. `ours` says whether a name is one of the scenario's own.
 */
export async function cleanUp(scenario: string, transcript: Transcript, client: ScimClient, ours: (value: string) => boolean): Promise<LeftBehind[]> {
  const lost = lostCreates(transcript.exchanges);
  const left: LeftBehind[] = [];
  const tried = new Set<string>();
  for (const url of notDeleted(transcript.exchanges)) {
    // Two creates' answers may name one resource in two forms: it is deleted, and listed, once.
    if (tried.has(resourceKey(url))) continue;
    tried.add(resourceKey(url));
    const reason = whyLeft(await send(client, transcript, { method: 'DELETE', path: url }));
    if (reason !== undefined) left.push({ scenario, url, reason });
  }
  // After the known ones: what they deleted is not found again, and what they could not is not tried again.
  for (const create of lost) left.push(...(await settleLost(scenario, create, ours, transcript, client, tried)));
  return left;
}
