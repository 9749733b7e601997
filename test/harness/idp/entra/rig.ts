import { createEntraSimulator } from '../../../../harness/idp/entra/simulator.js';
import { SimulatorRig, type Answer, type RigScenario, type Sent } from '../simulator-rig.js';

export { compact, created, scimError, type Answer, type RigScenario, type Sent } from '../simulator-rig.js';

/** The Entra simulator against undici's MockAgent (see ../simulator-rig.ts), with readings of Entra's records. */

export const ORIGIN = 'http://127.0.0.1:9998';
export const BASE = `${ORIGIN}/scim/v2`;
export const TOKEN = 'entra-test-token';

export function list(resources: unknown[]): Answer {
  return { status: 200, body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: resources.length, Resources: resources, startIndex: 1, itemsPerPage: 20 } };
}

export const LIST_EMPTY = list([]);

export class EntraRig extends SimulatorRig {
  constructor(scenario: RigScenario) {
    super({ idp: 'entra', origin: ORIGIN, token: TOKEN, create: createEntraSimulator }, scenario);
  }

  /** Requests other than the probes. */
  writes(): Sent[] {
    return this.sent.filter((s) => s.method !== 'GET');
  }

  bodies(): unknown[] {
    return this.sent.filter((s) => s.body !== undefined).map((s) => JSON.parse(s.body!) as unknown);
  }

  logs(): Record<string, unknown>[] {
    return this.outcomes.filter((o) => o.kind === 'provisioningLog').map((o) => o.record);
  }

  statuses(): Record<string, unknown>[] {
    return this.outcomes.filter((o) => o.kind === 'jobStatus').map((o) => o.record);
  }
}

/** Probes (`GET /Users?filter=…` with a GUID, `GET /Groups?…`) answered with empty lists. */
export function answerProbes(rig: EntraRig): EntraRig {
  return rig.on('GET', /^\/Users\?filter=userName\+eq\+%22[0-9a-f-]{36}%22$/, LIST_EMPTY).on('GET', /^\/Groups\?excludedAttributes=members&filter=displayName\+eq\+%22[0-9a-f-]{36}%22$/, LIST_EMPTY);
}
