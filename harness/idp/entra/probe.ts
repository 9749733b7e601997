import { getKey, isObject } from '../../../scim/schema/keys.js';
import { CREDENTIALS, INCOMPATIBLE, type CycleEnv } from './export-common.js';
import { guid } from './ids.js';
import { errorCodeFor, errors, PROBE_NOT_FOUND, probeNotEmpty, probeUnexpected, statusName } from './logs.js';
import { matchingOrder } from './mapping.js';
import type { JobError } from './state.js';
import type { Reply } from './transport.js';
import * as wire from './wire.js';

/*
 * The random-GUID probe (Entra ref §3): a query for a user, and a group when groups are provisioned,
 * that cannot exist. It opens every cycle and every provision-on-demand run, and it is what Test
 * Connection sends. "The expected correct response is HTTP 200 OK with an empty SCIM ListResponse
 * message"; this module says what any other answer means.
 */

/** The probe's requests: `label` and `n` seed its GUIDs, so that each probe asks for another one. */
export function probeRequests(env: Pick<CycleEnv, 'settings' | 'seed' | 'userMappings' | 'groupMappings'>, label: string, n: number): wire.WireRequest[] {
  const { settings, seed } = env;
  const requests = [wire.findUsers(matchingOrder(env.userMappings)[0]!.target, guid(seed, label, String(n)), settings)];
  if (settings.provisionGroups && settings.groupProbe) requests.push(wire.findGroups(matchingOrder(env.groupMappings)[0]!.target, guid(seed, `group-${label}`, String(n)), settings));
  return requests;
}

/** The number of resources a ListResponse holds, or undefined for a body that is no ListResponse (Entra ref §4). */
function listSize(body: unknown): number | undefined {
  if (!isObject(body)) return undefined;
  const resources = getKey(body, 'Resources');
  const total = getKey(body, 'totalResults');
  if (!Array.isArray(resources) && !Number.isInteger(total)) return undefined;
  return Math.max(Array.isArray(resources) ? resources.length : 0, Number.isInteger(total) ? (total as number) : 0);
}

/**
 * What the probe's answer means: nothing for the 200 with an empty ListResponse Entra expects
 * (Entra ref §3), else the problem. Bad credentials (401, 403), a 404 and no answer are the
 * documented ones (§3, §5.6). Inferred (UNVERIFIED: §3 names only those): any other error status,
 * a 2xx that is no ListResponse (a proxy's HTML page), and a ListResponse with resources in it
 * (the target ignored the filter: §6.1's duplicate-creating server), since the probe is there "to
 * ensure that the endpoint and the credentials are valid" (§3) and a SCIM compliance problem
 * quarantines whatever the counts (§5.6). In a cycle a 400 passes: the objects then fail one by
 * one, as §3 says; Test Connection, which expects the 200 alone, fails on it (`strict`).
 */
export function probeProblem(reply: Reply, strict: boolean): JobError | undefined {
  if ('error' in reply) return { code: reply.timedOut ? 'Timeout' : 'WebExceptionProtocolError', message: `Entra could not connect to the SCIM endpoint: ${reply.error}.`, synthesised: true };
  if (reply.status === 401 || reply.status === 403) {
    // The code is the one a Q&A answer gives for a bad token (§3); the sentence is synthesised after PROBE_NOT_FOUND's.
    // A 403 need not mean a bad token (a service may answer it with SCIM switched off), so it says only what happened.
    const why = reply.status === 401 ? 'the Secret Token is invalid or expired' : 'the SCIM endpoint refused access with this Secret Token';
    return {
      code: CREDENTIALS,
      message: `An HTTP/${reply.status} ${statusName(reply.status)} response was returned rather than the expected HTTP/200 OK response: ${why}.`,
      synthesised: true,
    };
  }
  if (reply.status === 404) return { code: INCOMPATIBLE, message: PROBE_NOT_FOUND };
  if (reply.status === 400 && !strict) return undefined;
  if (reply.status < 200 || reply.status >= 300) return { code: errorCodeFor(reply.status, 'match'), message: probeUnexpected(reply.status), synthesised: true };
  const size = listSize(reply.json);
  if (size === undefined) return { code: INCOMPATIBLE, message: errors.cannotDeserialize };
  if (size > 0) return { code: INCOMPATIBLE, message: probeNotEmpty(size), synthesised: true };
  return undefined;
}
