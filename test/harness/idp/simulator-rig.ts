import { MockAgent } from 'undici';
import { ScimClient } from '../../../harness/http/client.js';
import { Redactor } from '../../../harness/http/redact.js';
import { Transcript } from '../../../harness/http/transcript.js';
import type { IdpSimulator } from '../../../harness/idp/types.js';
import type { IdpName, Scenario } from '../../../harness/types.js';
import type { Outcome } from '../../../harness/result.js';

/**
 * An IdP simulator against undici's MockAgent: every request as it left the client (method, path
 * with its query, headers, body text), answered by routes the test declares. The Okta and Entra
 * rigs add their constants and their own readings of what was sent and reported.
 */

export interface Sent {
  method: string;
  /** Relative to the base URL, query included, as sent. */
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface Answer {
  status: number;
  /** An object is sent as JSON; a string or a Buffer as it is. */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RigScenario {
  id?: string;
  settings?: Record<string, unknown>;
  directory?: Record<string, unknown>;
}

type Route = { method: string; path: string | RegExp; answer: Answer | ((sent: Sent) => Answer); once: boolean };

const SCIM_JSON = { 'content-type': 'application/scim+json' };

export function scimError(status: number, detail: string): Answer {
  return { status, body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], detail, status: String(status) } };
}

/** A created resource as a server answers: the POSTed body with an id. */
export function created(id: string): (sent: Sent) => Answer {
  return (sent) => ({ status: 201, body: { id, ...(JSON.parse(sent.body ?? '{}') as object) } });
}

/** The doc's JSON as compact text, key order kept: what a byte-for-byte body must equal. */
export function compact(json: string): string {
  return JSON.stringify(JSON.parse(json));
}

function headersOf(raw: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(raw)) {
    for (let i = 0; i + 1 < raw.length; i += 2) out[String(raw[i]).toLowerCase()] = String(raw[i + 1]);
  } else if (raw && typeof raw === 'object') {
    for (const [name, value] of Object.entries(raw)) out[name.toLowerCase()] = String(value);
  }
  return out;
}

export interface RigTarget {
  idp: Exclude<IdpName, 'none'>;
  origin: string;
  token: string;
  create(scenario: Scenario): IdpSimulator;
}

export class SimulatorRig {
  readonly sent: Sent[] = [];
  readonly outcomes: Outcome[] = [];
  readonly transcript = new Transcript();
  readonly simulator: IdpSimulator;
  private readonly routes: Route[] = [];
  private readonly agent = new MockAgent();
  private readonly client: ScimClient;
  private step = 0;
  private closed = false;

  constructor(target: RigTarget, scenario: RigScenario) {
    this.agent.disableNetConnect();
    this.client = new ScimClient({
      baseUrl: `${target.origin}/scim/v2`,
      credentials: { kind: 'bearer', token: target.token },
      dispatcher: this.agent,
      redactor: new Redactor(),
    });
    this.agent
      .get(target.origin)
      .intercept({ path: () => true, method: () => true })
      .reply((options) => {
        const sent: Sent = {
          method: options.method,
          path: options.path.replace('/scim/v2', ''),
          headers: headersOf(options.headers),
          ...(typeof options.body === 'string' && { body: options.body }),
        };
        this.sent.push(sent);
        const answer = this.answer(sent);
        const body = answer.body;
        const data = body === undefined ? '' : typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
        return { statusCode: answer.status, data, responseOptions: { headers: answer.headers ?? SCIM_JSON } };
      })
      .persist();
    this.simulator = target.create({
      id: scenario.id ?? `${target.idp}.test`,
      title: 'test',
      refs: [`${target.idp}-wire`],
      tags: [],
      requires: [],
      covers: [],
      idp: target.idp,
      settings: scenario.settings ?? {},
      ...(scenario.directory && { directory: scenario.directory }),
      steps: [],
      source: { file: 'test.yaml', line: 1, column: 1 },
    });
  }

  /** Answers `method path` (a request line relative to the base URL, or a pattern); the first route that fits wins. */
  on(method: string, path: string | RegExp, answer: Answer | ((sent: Sent) => Answer), once = false): this {
    this.routes.push({ method, path, answer, once });
    return this;
  }

  once(method: string, path: string | RegExp, answer: Answer | ((sent: Sent) => Answer)): this {
    return this.on(method, path, answer, true);
  }

  async perform(action: string, args: unknown = null): Promise<void> {
    await this.simulator.perform(
      { kind: 'idp', action, args, source: { file: 'test.yaml', line: 1, column: 1 } },
      { client: this.client, transcript: this.transcript, step: this.step++, report: (o) => this.outcomes.push(o) },
    );
  }

  /** `GET /Users?…`, as sent. */
  lines(): string[] {
    return this.sent.map((s) => `${s.method} ${s.path}`);
  }

  /** Forgets what was sent and reported so far. */
  clear(): void {
    this.sent.length = 0;
    this.outcomes.length = 0;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.client.close();
    await this.agent.close();
  }

  private answer(sent: Sent): Answer {
    const at = this.routes.findIndex((r) => r.method === sent.method && (typeof r.path === 'string' ? r.path === sent.path : r.path.test(sent.path)));
    if (at < 0) return { status: 599, body: `no route for ${sent.method} ${sent.path}`, headers: { 'content-type': 'text/plain' } };
    const route = this.routes[at]!;
    if (route.once) this.routes.splice(at, 1);
    return typeof route.answer === 'function' ? route.answer(sent) : route.answer;
  }
}
