import { createReferenceServer, type ReferenceServer } from '../../../reference-server/app.js';
import { VARIATION_NAMES, type Variation } from '../../../reference-server/variations.js';
import { runScenarios } from '../../../harness/runner/run.js';
import type { Scenario } from '../../../harness/types.js';
import type { ScenarioResult } from '../../../harness/result.js';
import type { Compat } from '../../../scim/compat.js';
import { isScimError } from '../../../scim/errors.js';
import { IDPS } from '../../../harness/idp/registry.js';

const ENTERPRISE_USER = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/** A user whose enterprise manager is `{ value }` gets the bare id instead. */
function bareManager(resource: unknown): void {
  const extension = (resource as Record<string, { manager?: unknown } | undefined> | null)?.[ENTERPRISE_USER];
  const manager = extension?.manager as { value?: unknown } | undefined;
  if (extension && typeof manager?.value === 'string') extension.manager = manager.value;
}

/**
 * One deliberate fault, injected into an otherwise conforming reference server, so that a run
 * against it should fail exactly the scenarios that exercise the fault.
 */
export type Fault =
  | 'filter-500'
  | 'plain-text-errors'
  | 'no-location'
  | 'patch-ignores-path'
  | 'pathless-patch-400'
  | 'throttle-twice'
  | 'throttle-twice-no-retry-after'
  | 'rejects-string-booleans'
  | 'ignores-filter'
  | 'unauthorized'
  | 'manager-bare-string'
  | 'probe-404'
  | 'duplicate-username-200'
  | 'non-atomic-patch';

export interface FaultyTarget {
  url: string;
  token: string;
  close(): Promise<void>;
}

/** Every RFC-correct variation of the reference server (reference-server/variations.ts), for runs that must not fail. */
export const ALL_VARIATIONS: readonly Variation[] = VARIATION_NAMES;

const RESOURCE_URL = /\/(Users|Groups)\/([^/?]+)/;

function inject({ app, services }: ReferenceServer, fault: Fault): void {
  switch (fault) {
    case 'filter-500':
      app.addHook('onRequest', async (request, reply) => {
        if (/[?&]filter=/.test(request.url)) {
          await reply.code(500).header('content-type', 'application/scim+json').send({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '500', detail: 'boom' });
        }
      });
      return;
    case 'plain-text-errors':
      app.addHook('onSend', async (_request, reply, payload) => {
        if (reply.statusCode < 400) return payload;
        reply.header('content-type', 'text/plain; charset=utf-8');
        return `Error ${reply.statusCode}`;
      });
      return;
    case 'no-location':
      app.addHook('onSend', async (_request, reply, payload) => {
        reply.removeHeader('location');
        return payload;
      });
      return;
    case 'patch-ignores-path':
      // Operations with a path are acknowledged and dropped; path-less ones still apply.
      app.addHook('preHandler', async (request) => {
        if (request.method !== 'PATCH') return;
        const body = request.body as { Operations?: { path?: unknown }[] } | undefined;
        if (!body || !Array.isArray(body.Operations)) return;
        const kept = body.Operations.filter((op) => op.path === undefined);
        body.Operations = kept.length > 0 ? kept : [{ op: 'add', value: {} } as never];
      });
      return;
    case 'pathless-patch-400':
      // The servers of Okta ref §6.1 that break on Okta's deactivation: every operation needs a path.
      app.addHook('preHandler', async (request, reply) => {
        const body = request.body as { Operations?: { path?: unknown }[] } | undefined;
        if (request.method !== 'PATCH' || !body?.Operations?.some((op) => op.path === undefined)) return;
        await reply.code(400).send({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], scimType: 'noTarget', detail: 'PATCH operations need a path', status: '400' });
      });
      return;
    case 'throttle-twice':
    case 'throttle-twice-no-retry-after': {
      // The first two requests from Okta's client are throttled (Okta ref §11); the harness's own reads are not.
      let throttled = 0;
      app.addHook('onRequest', async (request, reply) => {
        if (request.headers['user-agent'] !== 'Okta SCIM Client 1.0.0' || throttled >= 2) return;
        throttled++;
        if (fault === 'throttle-twice') reply.header('retry-after', '7');
        await reply.code(429).send({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], detail: 'Too many requests', status: '429' });
      });
      return;
    }
    case 'rejects-string-booleans':
      // The servers of Entra ref §6.4 (scimmy#51, #86): "False" for a boolean is a 400.
      app.addHook('preHandler', async (request, reply) => {
        const body = request.body as { Operations?: { value?: unknown }[] } | undefined;
        const values = (body?.Operations ?? []).flatMap((op) => (op.value !== null && typeof op.value === 'object' ? Object.values(op.value) : [op.value]));
        if (request.method !== 'PATCH' || !values.some((v) => typeof v === 'string' && /^(true|false)$/i.test(v))) return;
        await reply.code(400).send({
          schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
          scimType: 'invalidValue',
          detail: "Attribute 'active' expected value type 'boolean' but found type 'string'",
          status: '400',
        });
      });
      return;
    case 'ignores-filter':
      // A filter it does not support gets an empty list, not a 400 (Entra ref §6.1, langwatch#6973).
      app.addHook('onRequest', async (request, reply) => {
        if (request.method !== 'GET' || !/[?&]filter=/.test(request.url)) return;
        await reply.code(200).send({ schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: 0, startIndex: 1, itemsPerPage: 0, Resources: [] });
      });
      return;
    case 'unauthorized':
      // The Secret Token is refused on every resource, while discovery still answers (Entra ref §3, §5.6).
      app.addHook('onRequest', async (request, reply) => {
        if (!/\/(Users|Groups)(\/|\?|$)/.test(request.url)) return;
        await reply.code(401).send({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], detail: 'Invalid token', status: '401' });
      });
      return;
    case 'manager-bare-string':
      // The manager echoed as Entra sends it, a bare id, instead of { value } (Entra ref §4, Budibase#15369).
      app.addHook('onSend', async (_request, _reply, payload) => {
        if (typeof payload !== 'string' || !payload.includes(ENTERPRISE_USER)) return payload;
        const body = JSON.parse(payload) as { Resources?: unknown[] };
        for (const resource of [body, ...(Array.isArray(body.Resources) ? body.Resources : [])]) bareManager(resource);
        return JSON.stringify(body);
      });
      return;
    case 'probe-404':
      // A wrong tenant URL, or a server without the queried endpoint: every filtered query is a 404 (Entra ref §3, §5.6, snipe-it#11913).
      app.addHook('onRequest', async (request, reply) => {
        if (request.method !== 'GET' || !/[?&]filter=/.test(request.url)) return;
        await reply.code(404).header('content-type', 'application/scim+json').send({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], detail: 'Not Found', status: '404' });
      });
      return;
    case 'non-atomic-patch':
      // Breaks RFC 7644 §3.5.2 ("Each PATCH operation represents a single action … atomic"): every
      // operation but the last is committed on its own first, so a later failure keeps their effects.
      app.addHook('preHandler', async (request, reply) => {
        const body = request.body as { Operations?: unknown[] } | undefined;
        const target = RESOURCE_URL.exec(request.url);
        if (request.method !== 'PATCH' || !target || !Array.isArray(body?.Operations) || body.Operations.length < 2) return;
        const service = services[target[1] === 'Users' ? 'User' : 'Group'];
        const id = decodeURIComponent(target[2]!);
        for (const operation of body.Operations.slice(0, -1)) {
          try {
            await service.patch(id, { ...body, Operations: [operation] }, request.headers['if-match'] as string | undefined);
          } catch (error) {
            if (!isScimError(error)) throw error;
            await reply.code(error.status).send(error.toBody());
            return;
          }
          // The version has moved on: a precondition held for the first operation holds for the request.
          delete request.headers['if-match'];
        }
        body.Operations = body.Operations.slice(-1);
      });
      return;
  }
}

/** `compat` relaxes the otherwise strict server, e.g. LENIENT for Entra's legacy dialect. */
export async function startFaultyTarget(fault: Fault, options: { compat?: Partial<Compat> } = {}): Promise<FaultyTarget> {
  const token = `faulty-${fault}`;
  const server = createReferenceServer({ tokens: [token], ...(options.compat && { compat: options.compat }) });
  inject(server, fault);
  // Without a filter, duplicates are only possible when userName is not unique either: a store check switched off.
  // duplicate-username-200 is that alone, breaking RFC 7644 §3.3's 409 for a taken userName.
  if (fault === 'ignores-filter' || fault === 'duplicate-username-200') Object.assign(server.store, { assertUserNameFree: () => undefined });
  const { url } = await server.listen();
  return { url, token, close: () => server.close() };
}

/** A reference server behaving in the given RFC-correct ways, against which no non-strict scenario may fail. */
export async function startVariantTarget(variations: readonly Variation[], options: { compat?: Partial<Compat> } = {}): Promise<FaultyTarget> {
  const token = 'variant-token';
  const server = createReferenceServer({ tokens: [token], variations, ...(options.compat && { compat: options.compat }) });
  const { url } = await server.listen();
  return { url, token, close: () => server.close() };
}

/** Runs `scenarios` against a target with `fault` (started and closed here) and answers their results. */
export async function runAgainstFault(fault: Fault, scenarios: Scenario[], options: { compat?: Partial<Compat> } = {}): Promise<ScenarioResult[]> {
  const target = await startFaultyTarget(fault, options);
  try {
    return (await runScenarios(scenarios, { idps: IDPS, target: { url: target.url, credentials: { kind: 'bearer', token: target.token } } })).scenarios;
  } finally {
    await target.close();
  }
}
