import { readFile } from 'node:fs/promises';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Redactor } from '../../../harness/http/redact.js';
import { parseRecording } from '../../../harness/record/format.js';
import { recordingDispatcher } from '../../../harness/record/recorder.js';
import { compareReplay, replayRecording } from '../../../harness/record/replay.js';
import { runScenarios } from '../../../harness/runner/run.js';
import type { Scenario } from '../../../harness/types.js';
import { createReferenceServer, type ReferenceServer } from '../../../reference-server/app.js';

/*
 * Before the first scenario, a run against --target asks for GET /ServiceProviderConfig once: the
 * preflight's answer is discovery's too. An interrupt abandons that discovery at once.
 */

const TOKEN = 'discovery-once-token-4f1a';
const source = { file: 'list.yaml', line: 1, column: 1 };
const LIST: Scenario = {
  id: 'discovery-once.list',
  title: 'Lists users',
  refs: ['RFC 7644 §3.4.2'],
  tags: [],
  requires: [],
  covers: [],
  idp: 'none',
  settings: {},
  steps: [{ kind: 'request', request: { method: 'GET', path: '/Users' }, expect: { status: 200 }, source }],
  source,
};

const servers: Server[] = [];
let reference: ReferenceServer | undefined;
/** The wire recorders of a test, closed after it. */
const recorders: { close(): Promise<void> }[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  await Promise.all(recorders.splice(0).map((recorder) => recorder.close()));
  await reference?.close();
  reference = undefined;
});

/** A node:http server on a free loopback port, closed after the test; answers its origin. */
async function serve(handler: RequestListener): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Every request of a run as it went over the wire, in the order sent: `METHOD path status`. */
function wire() {
  const recorder = recordingDispatcher(new Redactor(), 60_000);
  recorders.push(recorder);
  return {
    dispatcher: recorder.dispatcher,
    sent: () => recorder.exchanges.map((e) => `${e.method} ${e.path} ${e.response?.status ?? e.error?.message}`),
  };
}

describe('a run against --target', () => {
  it('sends GET /ServiceProviderConfig once, and reads the features from that answer', async () => {
    reference = createReferenceServer({ tokens: [TOKEN] });
    const { url } = await reference.listen();
    const { dispatcher, sent } = wire();
    const result = await runScenarios([LIST], { idps: {}, target: { url, credentials: { kind: 'bearer', token: TOKEN } }, dispatcher });

    expect(sent()).toEqual(['GET /scim/v2/ServiceProviderConfig 200', 'GET /scim/v2/Schemas 200', 'GET /scim/v2/Users 200']);
    expect(result.target.featureSource).toBe('ServiceProviderConfig');
    // As the reference server's strict profile declares them.
    expect(result.target.features).toEqual({ patch: true, bulk: true, filter: true, changePassword: true, sort: true, etag: true });
    expect(result.scenarios.map((s) => s.status)).toEqual(['passed']);
  });

  it('a target with no /ServiceProviderConfig, SCIM by its /Users: asked once, every feature assumed', async () => {
    const url = await serve((request, response) => {
      if (request.url?.startsWith('/Users')) {
        response.writeHead(200, { 'content-type': 'application/scim+json' });
        response.end(JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: 0, Resources: [] }));
      } else response.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not Found</h1>');
    });
    const { dispatcher, sent } = wire();
    const result = await runScenarios([LIST], { idps: {}, target: { url, credentials: { kind: 'none' } }, dispatcher });

    expect(sent()).toEqual(['GET /ServiceProviderConfig 404', 'GET /Users?count=1 200', 'GET /Schemas 404', 'GET /Users 200']);
    expect(result.target.featureSource).toBe('assumed');
    expect(Object.values(result.target.features).every((supported) => supported === true)).toBe(true);
  });
});

describe('a recording made when discovery asked for /ServiceProviderConfig a second time', () => {
  it('still replays with the same verdicts: the answer left over goes unused', async () => {
    const file = new URL('fixtures/recording-discovery-twice.json', import.meta.url);
    const recording = parseRecording(await readFile(file, 'utf8'), file.pathname);
    // As recorded: the preflight's GET, discovery's, then /Schemas, before the scenarios.
    expect(recording.exchanges.slice(0, 3).map((e) => e.path)).toEqual(['/scim/v2/ServiceProviderConfig', '/scim/v2/ServiceProviderConfig', '/scim/v2/Schemas']);

    const replayed = await replayRecording(recording);
    expect(compareReplay(recording.result!.scenarios, replayed.scenarios)).toEqual([]);
    expect(replayed.scenarios.map((s) => [s.id, s.status])).toEqual([
      ['recorded.create-user', 'passed'],
      ['recorded.read-config', 'passed'],
    ]);
    expect(replayed.target.featureSource).toBe('ServiceProviderConfig');
  });
});

describe('an interrupt during the preflight', () => {
  it('abandons its request at once: the run ends interrupted, well before --timeout, with nothing run', async () => {
    const controller = new AbortController();
    // The target never answers; the interrupt comes once it has the request.
    const url = await serve(() => controller.abort('SIGINT'));
    const { dispatcher, sent } = wire();
    const result = await runScenarios([LIST], {
      idps: {},
      target: { url, credentials: { kind: 'none' } },
      timeoutMs: 60_000,
      deadlineMs: 60_000,
      dispatcher,
      signal: controller.signal,
    });

    expect(result.interrupted).toEqual({ signal: 'SIGINT', at: expect.any(String), notRun: ['discovery-once.list'] });
    expect(result.scenarios).toEqual([]);
    // Abandoned by the interrupt itself, not by the grace that scenarios' requests get.
    expect(sent()).toEqual(['GET /ServiceProviderConfig abandoned: the run was interrupted before its first scenario']);
  });
});
