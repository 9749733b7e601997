import type { Exchange } from '../harness/result.js';

/** How reports tag a request the harness sent on its own behalf: quietly, beside its kind. */
export const HARNESS_TAG = 'harness';

/**
 * Whether the harness sent an exchange itself (discovery, a protocol step, a verification read,
 * cleanup) rather than an IdP simulator; a result written before `by` was recorded tells it by `kind`.
 */
function sentByHarness(exchange: Exchange): boolean {
  return exchange.by === undefined ? exchange.kind !== 'idp' : exchange.by === 'harness';
}

/**
 * The exchanges to tag as the harness's: only where an IdP sent requests too; in a protocol
 * scenario every request is the harness's, and a tag on each would say nothing.
 */
export function harnessTagged(exchanges: readonly Exchange[]): Set<number> {
  if (exchanges.every(sentByHarness)) return new Set();
  return new Set(exchanges.filter(sentByHarness).map((e) => e.seq));
}
