import { ScimClient } from '../../../harness/http/client.js';
import { Redactor } from '../../../harness/http/redact.js';
import { Transcript } from '../../../harness/http/transcript.js';
import type { IdpSimulator, SimulatorFactory } from '../../../harness/idp/types.js';
import type { Exchange, Outcome } from '../../../harness/result.js';
import { createReferenceServer, type ReferenceServer } from '../../../reference-server/app.js';
import type { FaultRule } from '../../../reference-server/faults/types.js';
import type { RigScenario } from './simulator-rig.js';

/**
 * An IdP simulator against a real reference server on loopback that injects faults
 * (docs/faults.md): what the simulator sent, as recorded in the transcript with its virtual time
 * and the answer (or the failure) it got, and what it reported. Where ../simulator-rig.ts fakes
 * each answer, this one gets the server's own, 429s, HTML pages, resets and hangs included.
 */

const TOKEN = 'fault-rig-token';

export interface ServerRigOptions {
  /** The reference server's profile: strict (default) or lenient, as docs/profiles.md names them. */
  profile?: string;
  faults?: FaultRule[];
}

export class ServerRig {
  readonly outcomes: Outcome[] = [];
  readonly transcript = new Transcript();
  private step = 0;
  /** Exchanges before this one were sent before the last `clear()`. */
  private from = 0;

  private constructor(
    readonly server: ReferenceServer,
    readonly client: ScimClient,
    readonly simulator: IdpSimulator,
  ) {}

  static async start(idp: 'okta' | 'entra', create: SimulatorFactory, scenario: RigScenario, options: ServerRigOptions = {}): Promise<ServerRig> {
    const server = createReferenceServer({ tokens: [TOKEN], ...(options.profile && { profile: options.profile }), ...(options.faults && { faults: { rules: options.faults } }) });
    const { url } = await server.listen();
    const client = new ScimClient({ baseUrl: url, credentials: { kind: 'bearer', token: TOKEN }, redactor: new Redactor() });
    const simulator = create({
      id: scenario.id ?? `${idp}.fault-test`,
      title: 'test',
      refs: [],
      tags: [],
      requires: [],
      covers: [],
      idp,
      settings: scenario.settings ?? {},
      ...(scenario.directory && { directory: scenario.directory }),
      steps: [],
      source: { file: 'test.yaml', line: 1, column: 1 },
    });
    return new ServerRig(server, client, simulator);
  }

  async perform(action: string, args: unknown = null): Promise<void> {
    await this.simulator.perform(
      { kind: 'idp', action, args, source: { file: 'test.yaml', line: 1, column: 1 } },
      { client: this.client, transcript: this.transcript, step: this.step++, report: (o) => this.outcomes.push(o) },
    );
  }

  /** Replaces the server's faults from now on. */
  faults(rules: FaultRule[]): void {
    this.server.faults.install({ rules });
  }

  /** What the simulator sent, in order. */
  exchanges(): Exchange[] {
    return this.transcript.exchanges.slice(this.from).filter((e) => e.kind === 'idp');
  }

  /** `POST /Users`, `GET /Users?filter=…`: each request line relative to the base URL, query decoded. */
  lines(): string[] {
    return this.exchanges().map((e) => `${e.request.method} ${decodeURIComponent(e.request.url.replace(/^https?:\/\/[^/]+\/scim\/v2/, '')).replace(/\+/g, ' ')}`);
  }

  /** The status of each answer, or the failure of a request that got none. */
  answers(): (number | string)[] {
    return this.exchanges().map((e) => e.response?.status ?? e.error ?? 'none');
  }

  /** Seconds of virtual time from the first request to each one. */
  offsets(): number[] {
    const all = this.exchanges();
    const start = Date.parse(all[0]!.virtualTime!);
    return all.map((e) => (Date.parse(e.virtualTime!) - start) / 1000);
  }

  records(kind?: string): Record<string, unknown>[] {
    return this.outcomes.filter((o) => kind === undefined || o.kind === kind).map((o) => o.record);
  }

  /** Forgets what was sent and reported so far. */
  clear(): void {
    this.outcomes.length = 0;
    this.from = this.transcript.exchanges.length;
  }

  async close(): Promise<void> {
    await this.client.close();
    await this.server.close();
  }
}
