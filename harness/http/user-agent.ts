import { VERSION } from '../version.js';

/**
 * The User-Agent of every request the harness sends on its own behalf (discovery, protocol steps,
 * verification reads, cleanup, the fault admin API): a target's logs tell them from an IdP's.
 */
export const HARNESS_USER_AGENT = `scimulator/${VERSION}`;
