import { getKey, isObject } from '../../scim/schema/keys.js';
import type { Exchange, ServerAnswer } from '../result.js';

/** How much of a body that is not a SCIM error a report shows: enough to recognise a proxy's page. */
export const ANSWER_TEXT_LIMIT = 500;

/**
 * What the target answered, as reports show it whole: the SCIM error's scimType and detail
 * (RFC 7644 §3.12), or the first 500 characters of any other body. Undefined without a response.
 */
export function serverAnswer(exchange: Exchange): ServerAnswer | undefined {
  const response = exchange.response;
  if (!response) return undefined;
  const answer: ServerAnswer = { status: response.status };
  const json = response.body?.json;
  if (isObject(json)) {
    const scimType = getKey(json, 'scimType');
    const detail = getKey(json, 'detail');
    if (typeof scimType === 'string' && scimType !== '') answer.scimType = scimType;
    if (typeof detail === 'string' && detail !== '') answer.detail = detail;
    if (answer.scimType === undefined && answer.detail === undefined && response.status >= 400) answer.body = JSON.stringify(json).slice(0, ANSWER_TEXT_LIMIT);
  } else {
    const text = response.body?.text?.trim();
    if (text) answer.body = text.slice(0, ANSWER_TEXT_LIMIT);
  }
  return answer;
}

/** `400 invalidFilter: the detail`, whole: the words every report uses for an answer. */
export { answerText as describeAnswer } from '../../reports/causes.js';
