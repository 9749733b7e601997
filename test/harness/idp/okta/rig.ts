import { createOktaSimulator } from '../../../../harness/idp/okta/simulator.js';
import { SimulatorRig, type Answer, type RigScenario } from '../simulator-rig.js';

export { compact, created, scimError, type Answer, type Sent } from '../simulator-rig.js';

/** The Okta simulator against undici's MockAgent (see ../simulator-rig.ts). */

export const ORIGIN = 'http://127.0.0.1:9999';
export const BASE = `${ORIGIN}/scim/v2`;
export const TOKEN = 'okta-test-token';

export function list(resources: unknown[], totalResults = resources.length, startIndex = 1): Answer {
  return { status: 200, body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults, startIndex, itemsPerPage: resources.length, Resources: resources } };
}

export const LIST_EMPTY = list([]);

export class OktaRig extends SimulatorRig {
  constructor(scenario: RigScenario) {
    super({ idp: 'okta', origin: ORIGIN, token: TOKEN, create: createOktaSimulator }, scenario);
  }

  records(): Record<string, unknown>[] {
    return this.outcomes.map((o) => o.record);
  }
}
