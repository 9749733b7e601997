import type { Dispatcher } from 'undici';
import type { Credentials, ScimClient } from '../http/client.js';
import { idpNamed, type IdpRegistry } from '../idp/types.js';
import { embeddedProfile } from '../scenario/target-profile.js';
import { FilterProbe } from '../steps/refusal.js';
import type { Scenario } from '../types.js';
import type { ScenarioResult } from '../result.js';
import { startEmbeddedTarget } from './embedded.js';
import { adminApi, type AdminApi } from './admin-api.js';
import { adminFaults, embeddedFaults, injectsFaults, NO_ADMIN_TOKEN, type ScenarioFaults } from './faults.js';
import { actsAsAdmin, adminInvites, embeddedInvites, NO_ADMIN_TOKEN_INVITES, type ScenarioInvites } from './invites.js';
import { scenarioResult } from './run-scenario.js';
import { adminKey, NO_ADMIN_TOKEN_KEY, rotatesKey, type ScenarioKey } from './token.js';
import { adminClock, embeddedClock, movesClock, NO_ADMIN_TOKEN_CLOCK, type ScenarioClock } from './clock.js';
import { MovedClock } from '../../reference-server/admin/clock.js';
import { WatchedTimers } from '../../reference-server/faults/timers.js';
import type { TargetWaits } from '../idp/types.js';

/**
 * Where scenarios are sent: a base URL, the client for it, its faults when a scenario may change
 * them, its pending invites when a scenario may act as its team admin, its key when a scenario may
 * regenerate it, and its clock when a scenario may move it.
 */
export interface Endpoint {
  url: string;
  client: ScimClient;
  probe: FilterProbe;
  faults?: ScenarioFaults;
  invites?: ScenarioInvites;
  key?: ScenarioKey;
  clock?: ScenarioClock;
  /** The waits its faults hold requests with, seen as they start: only a scenario's own embedded server has them. */
  waits?: TargetWaits;
  close(): Promise<void>;
}

export interface TargetOptions {
  idps: IdpRegistry;
  /** The target given; without it, embedded reference servers. */
  target?: { url: string; credentials: Credentials };
  /** The embedded server's profile for scenarios whose IdP needs none and that name none (default strict). */
  defaultProfile?: string;
  /** The embedded servers' store: memory, or a PostgreSQL URL (RunOptions.embeddedStore). */
  embeddedStore?: string;
  /** The admin token of a target served with `scimulator serve --admin-token`: fault, invite and key scenarios need it. */
  adminToken?: string;
  timeoutMs: number;
  /** The most a whole request to the admin API may take (--deadline). */
  deadlineMs: number;
  connect(url: string, credentials: Credentials): ScimClient;
  /** Aborted when an interrupted run stops waiting: the filter probes' requests are abandoned with the steps'. */
  abandon?: AbortSignal;
  /** The run's dispatcher, when it has one: the admin API's calls go through it too (recorded, or answered by a replay). */
  dispatcher?: Dispatcher;
}

/** A scenario's endpoint for one run of it; `release` ends what was started for it alone. */
export interface Lease {
  endpoint: Endpoint;
  release(): Promise<void>;
}

const nothing = async () => {};

/**
 * The targets of one run. With `--target`, that one, and its admin API for the scenarios that
 * inject faults, act on invites or regenerate the key. Without, the embedded reference server: one
 * per profile, shared, started when a scenario first needs it; and one of its own for each scenario
 * that injects faults, regenerates the key or moves the clock, so that scenarios running at once
 * never meet each other's faults, keys or time. Invites are keyed by email: acting on them needs
 * no server of its own.
 */
export class Targets {
  private readonly shared = new Map<string, Promise<Endpoint>>();
  private admin?: AdminApi;

  constructor(private readonly options: TargetOptions) {}

  /** The run's target: the one given, or the embedded server with the run's default profile. Discovery reads it. */
  primary(): Promise<Endpoint> {
    return this.sharedFor(this.options.target ? '' : (this.options.defaultProfile ?? 'strict'));
  }

  /**
   * A scenario that cannot run on this target at all: one that injects faults into a target, acts
   * as its team admin or moves its clock, given without `--admin-token`. Undefined when it can run.
   */
  cannotRun(scenario: Scenario): ScenarioResult | undefined {
    if (!this.options.target || this.options.adminToken !== undefined) return undefined;
    const cause = injectsFaults(scenario)
      ? { key: 'injects-faults', summary: NO_ADMIN_TOKEN }
      : actsAsAdmin(scenario)
        ? { key: 'acts-as-admin', summary: NO_ADMIN_TOKEN_INVITES }
        : rotatesKey(scenario)
          ? { key: 'rotates-key', summary: NO_ADMIN_TOKEN_KEY }
          : movesClock(scenario)
            ? { key: 'moves-clock', summary: NO_ADMIN_TOKEN_CLOCK }
            : undefined;
    if (!cause) return undefined;
    return scenarioResult(scenario, this.options.idps, {
      status: 'skipped',
      reason: cause.summary,
      cause,
      durationMs: 0,
      steps: [],
      exchanges: [],
      outcomes: [],
    });
  }

  /** Whether a scenario must run alone: its faults, key or clock go through the admin API, and are the whole target's. */
  runsAlone(scenario: Scenario): boolean {
    return this.options.target !== undefined && (injectsFaults(scenario) || rotatesKey(scenario) || movesClock(scenario));
  }

  /** Where `scenario` runs. Throws an Error in words when its profile cannot be had. */
  async lease(scenario: Scenario): Promise<Lease> {
    const { target, adminToken, timeoutMs, deadlineMs } = this.options;
    const faulted = injectsFaults(scenario);
    const rotates = rotatesKey(scenario);
    const moves = movesClock(scenario);
    if (target) {
      const endpoint = await this.primary();
      const admin = actsAsAdmin(scenario);
      if (!(faulted || admin || rotates || moves) || adminToken === undefined) return { endpoint, release: nothing };
      this.admin ??= adminApi(target.url, adminToken, timeoutMs, deadlineMs, this.options.dispatcher);
      // Its own probe: a refusal or failure seen while faults are in force says nothing of the target (nor counts for the breaker).
      const faults = faulted && { probe: this.probeOf(endpoint.client.uncounted()), faults: adminFaults(this.admin) };
      // Only a bearer token can be rotated: with other credentials the rotation step says so.
      const { credentials } = target;
      const key = rotates && credentials.kind === 'bearer' && { key: adminKey(this.admin, credentials.token, (token) => this.options.connect(target.url, { kind: 'bearer', token })) };
      const clock = moves && { clock: adminClock(this.admin) };
      return { endpoint: { ...endpoint, ...faults, ...(admin && { invites: adminInvites(this.admin) }), ...key, ...clock }, release: nothing };
    }
    const profile = this.profileOf(scenario);
    if (!(faulted || rotates || moves)) return { endpoint: await this.sharedFor(profile), release: nothing };
    const own = await this.open(profile, true);
    return { endpoint: own, release: () => own.close() };
  }

  /** Closes every server and connection the run opened. */
  async close(): Promise<void> {
    const opened = await Promise.allSettled(this.shared.values());
    await Promise.all(opened.flatMap((o) => (o.status === 'fulfilled' ? [o.value.close()] : [])));
    await this.admin?.close();
  }

  /** The embedded profile a scenario runs with: its own, else its IdP's, else the run's default. Throws an Error in words when its own cannot be had. */
  profileOf(scenario: Scenario): string {
    const written = scenario.target?.profile;
    if (written === undefined) return idpNamed(this.options.idps, scenario.idp)?.target.profile ?? this.options.defaultProfile ?? 'strict';
    const found = embeddedProfile(written, scenario.source.file);
    if ('problem' in found) throw new Error(`target.profile: ${found.problem}`);
    return found.profile;
  }

  private sharedFor(profile: string): Promise<Endpoint> {
    let endpoint = this.shared.get(profile);
    if (!endpoint) this.shared.set(profile, (endpoint = this.options.target ? Promise.resolve(this.given()) : this.open(profile, false)));
    return endpoint;
  }

  /** A filter probe through `client`, abandoned as the steps' requests are. */
  private probeOf(client: ScimClient): FilterProbe {
    return new FilterProbe(this.options.abandon ? client.abortableBy(this.options.abandon) : client);
  }

  private given(): Endpoint {
    const { url, credentials } = this.options.target!;
    const client = this.options.connect(url, credentials);
    return { url, client, probe: this.probeOf(client), close: () => client.close() };
  }

  /**
   * An embedded server; its faults, key, clock and waits are offered only when it is a scenario's
   * `own`, its invites always (when its profile has a team).
   */
  private async open(profile: string, own: boolean): Promise<Endpoint> {
    const clock = own ? new MovedClock(() => new Date()) : undefined;
    const timers = own ? new WatchedTimers() : undefined;
    const embedded = await startEmbeddedTarget({ profile, store: this.options.embeddedStore, ...(clock && { now: clock.now }), ...(timers && { timers }) });
    const client = this.options.connect(embedded.url, { kind: 'bearer', token: embedded.token });
    const key: ScenarioKey = {
      initial: embedded.token,
      rotate: async (token) => embedded.rotateToken(token),
      connect: (token) => this.options.connect(embedded.url, { kind: 'bearer', token }),
    };
    return {
      url: embedded.url,
      client,
      probe: this.probeOf(client),
      ...(own && { faults: embeddedFaults(embedded.faults), key, clock: embeddedClock(clock!), waits: timers! }),
      ...(embedded.invites && { invites: embeddedInvites(embedded.invites) }),
      close: async () => (await client.close(), await embedded.close()),
    };
  }
}
