import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScimClient } from '../../../harness/http/client.js';
import { Redactor } from '../../../harness/http/redact.js';
import { createdResources, Transcript } from '../../../harness/http/transcript.js';
import { FilterProbe } from '../../../harness/steps/refusal.js';
import { runRequestStep, type StepContext } from '../../../harness/steps/request-step.js';
import { Vars } from '../../../harness/steps/template.js';
import type { RequestStep } from '../../../harness/types.js';
import { createReferenceServer, type ReferenceServer } from '../../../reference-server/app.js';
import { URN } from '../../../scim/schema/urns.js';

const TOKEN = 'reference-token-canary';
const source = { file: 'test', line: 1, column: 1 };
const step = (request: RequestStep['request'], expect: RequestStep['expect'], save?: RequestStep['save']): RequestStep => ({
  kind: 'request',
  request,
  ...(expect && { expect }),
  ...(save && { save }),
  source,
});

// The whole path over real HTTP: undici pool, the reference server, checks, schemas and redaction.
describe('request steps against the reference server', () => {
  let server: ReferenceServer;
  let client: ScimClient;
  let ctx: StepContext;

  beforeAll(async () => {
    server = createReferenceServer({ tokens: [TOKEN], host: '127.0.0.1', port: 0 });
    const { url } = await server.listen();
    client = new ScimClient({ baseUrl: url, credentials: { kind: 'bearer', token: TOKEN }, redactor: new Redactor(), connections: 2 });
    ctx = { client, transcript: new Transcript(), vars: new Vars('feedc0de', 0, url), refs: ['RFC 7644 §3'], probe: new FilterProbe(client) };
  });
  afterAll(async () => {
    await client.close();
    await server.close();
  });

  it('passes discovery, create, read, filter and error steps, and records nothing secret', async () => {
    const steps: RequestStep[] = [
      step({ method: 'GET', path: '/ServiceProviderConfig' }, { status: 200, schema: 'ServiceProviderConfig', body: { 'patch.supported': { equals: true } } }),
      step({ method: 'GET', path: '/ResourceTypes/User' }, { status: 200, schema: 'ResourceType' }),
      step({ method: 'GET', path: `/Schemas/${URN.user}` }, { status: 200, schema: 'Schema' }),
      step(
        {
          method: 'POST',
          path: '/Users',
          body: { schemas: [URN.user], userName: '{{unique.ada}}@example.com', password: 'pw-canary-1!', name: { familyName: 'Lovelace' } },
        },
        {
          status: 201,
          schema: 'User',
          headers: { location: { matches: '/Users/[^/]+$' }, etag: { present: true } },
          body: { password: { absent: true }, 'name.familyName': { equals: 'Lovelace' } },
        },
        { userId: 'id', location: { header: 'location' } },
      ),
      step({ method: 'GET', path: '/Users/{{userId}}' }, { status: 200, schema: 'User', body: { id: { equals: '{{userId}}' } } }),
      step(
        { method: 'GET', path: '/Users', query: { filter: 'userName eq "{{unique.ada}}@example.com"' } },
        { status: 200, schema: 'ListResponse', body: { totalResults: { equals: 1 }, 'Resources[0].id': { equals: '{{userId}}' } } },
      ),
      step({ method: 'GET', path: '/Users/{{uuid}}' }, { status: 404, schema: 'Error' }),
      step({ method: 'GET', path: '/Users', auth: { bearer: 'wrong' } }, { status: 401 }),
    ];
    for (const [index, s] of steps.entries()) {
      const result = await runRequestStep(s, index, ctx);
      expect(result.status, JSON.stringify(result.checks.filter((c) => !c.passed))).toBe('passed');
    }
    const exchanges = ctx.transcript.exchanges;
    expect(exchanges).toHaveLength(steps.length);
    expect(exchanges.flatMap(createdResources)).toEqual([ctx.vars.get('location')]);
    const recorded = JSON.stringify(exchanges);
    expect(recorded).not.toContain('canary');
  });
});
