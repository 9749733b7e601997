import { MockAgent } from 'undici';
import { ScimClient } from '../../../harness/http/client.js';
import type { Credentials } from '../../../harness/http/credentials.js';
import { Redactor } from '../../../harness/http/redact.js';

export const ORIGIN = 'http://127.0.0.1:9999';
export const BASE = `${ORIGIN}/scim/v2`;

/** A MockAgent that refuses real connections, and a client that sends through it. */
export function fakeTarget(
  options: { credentials?: Credentials; secrets?: string[]; bodyCap?: number; baseUrl?: string } = {},
): { agent: MockAgent; pool: ReturnType<MockAgent['get']>; client: ScimClient } {
  const agent = new MockAgent();
  agent.disableNetConnect();
  const client = new ScimClient({
    baseUrl: options.baseUrl ?? BASE,
    credentials: options.credentials ?? { kind: 'bearer', token: 'test-token' },
    dispatcher: agent,
    redactor: new Redactor(options.secrets),
    ...(options.bodyCap !== undefined && { bodyCap: options.bodyCap }),
  });
  return { agent, pool: agent.get(ORIGIN), client };
}

export const SCIM_JSON = { 'content-type': 'application/scim+json' };
