/** IdP exchanges and the failed results holding them, for judging what a profile would have refused after a run (claim tests). */
import type { Exchange, ScenarioResult } from '../../../harness/result.js';

/** An IdP request to `path` under a target's base URL, answered `status`. */
export const idpExchange = (method: string, path: string, status: number, body?: unknown, extra: Partial<Exchange> = {}): Exchange => ({
  seq: 3,
  step: 1,
  kind: 'idp',
  request: { method, url: `http://127.0.0.1:1/scim/v2${path}`, headers: {}, ...(body !== undefined && { body: { json: body, bytes: 1 } }) },
  response: { status, headers: {} },
  startedAt: '2025-01-01T00:00:00.000Z',
  durationMs: 1,
  ...extra,
});

/** An Entra scenario that failed on the answer to `cause`, with `others` in its transcript after it. */
export const failedOn = (cause: Exchange, ...others: Exchange[]): ScenarioResult =>
  ({ id: 'i', idp: 'entra', status: 'failed', cause: { key: 'answer', summary: 'refused', exchange: cause.seq }, exchanges: [cause, ...others], steps: [] }) as unknown as ScenarioResult;
