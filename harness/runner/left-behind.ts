import { listsSchema, URN } from '../../scim/schema/urns.js';
import { createdResources, type Transcript } from '../http/transcript.js';
import { describeAnswer, serverAnswer } from '../steps/server-answer.js';
import { lostCreates, possiblyLeft } from './lost-creates.js';
import type { Exchange, LeftBehind } from '../result.js';

/** Why a 404 to a DELETE is no proof the resource is gone. */
const NOT_A_SCIM_404 = 'DELETE answered 404 without a SCIM error: the endpoint may not support DELETE; deactivate or remove it by hand';

/** Whether a body is an RFC 7644 §3.12 error: its `schemas` holds the error message URN, in any case (URNs ignore it). */
function isScimError(json: unknown): boolean {
  return listsSchema(json, URN.error);
}

/**
 * A DELETE answered so is done: the resource is gone, whether it was deleted now or before. A 404
 * counts only as a SCIM error (RFC 7644 §3.12): a server without the route (Postman has no
 * `DELETE /Users/{id}`, Postman ref §5, PM-28) answers its generic 404, and the resource stays.
 */
function gone(exchange: Exchange): boolean {
  const status = exchange.response?.status;
  if (status === undefined) return false;
  return status < 300 || status === 410 || (status === 404 && isScimError(exchange.response?.body?.json));
}

/** The URLs of what the exchanges created and no DELETE among them removed, newest first. */
export function notDeleted(exchanges: readonly Exchange[]): string[] {
  const created = [...new Set(exchanges.flatMap((exchange) => createdResources(exchange)))].reverse();
  const deleted = new Set(exchanges.filter((e) => e.request.method === 'DELETE' && gone(e)).map((e) => e.request.url));
  return created.filter((url) => !deleted.has(url));
}

/** Why a cleanup DELETE left its resource: the answer, or why no answer came. */
export function whyLeft(exchange: Exchange): string | undefined {
  if (exchange.error !== undefined) return `DELETE failed: ${exchange.error}`;
  const answer = serverAnswer(exchange);
  if (!answer || gone(exchange)) return undefined;
  return answer.status === 404 ? NOT_A_SCIM_404 : `DELETE answered ${describeAnswer(answer)}`;
}

/**
 * What the run has left on the target so far: what finished scenarios' cleanups could not delete,
 * and what scenarios under way have created and not yet deleted. A run stopped at once (a second
 * Ctrl+C) lists it; a run that ends reads each scenario's part back in run order.
 */
export class Leftovers {
  private readonly settled = new Map<string, LeftBehind[]>();
  private readonly underway = new Map<Transcript, string>();

  /** A scenario started: what its transcript records as created counts until it ends. */
  begin(scenario: string, transcript: Transcript): void {
    this.underway.set(transcript, scenario);
  }

  /** A scenario ended, its cleanup done: `left` is what stays. */
  end(scenario: string, transcript: Transcript, left: LeftBehind[]): void {
    this.underway.delete(transcript);
    if (left.length > 0) this.settled.set(scenario, left);
  }

  /** What an ended scenario's cleanup left. */
  of(scenario: string): LeftBehind[] {
    return this.settled.get(scenario) ?? [];
  }

  /** Everything left so far; `reason` for what scenarios under way hold (their lost creates too), since they never got to their cleanup. */
  now(reason: string): LeftBehind[] {
    const underway = [...this.underway].flatMap(([transcript, scenario]) => [
      ...notDeleted(transcript.exchanges).map((url) => ({ scenario, url, reason })),
      ...lostCreates(transcript.exchanges).map((lost) => possiblyLeft(scenario, lost, reason)),
    ]);
    return [...[...this.settled.values()].flat(), ...underway];
  }
}
