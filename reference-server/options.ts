import type { Compat } from '../scim/compat.js';
import { DEFAULT_RESOURCE_LIMITS, type ResourceLimits } from '../scim/resource-limits.js';
import type { Profile, ProfileDocument, SupportFeature } from '../scim/profile/fields.js';
import { supportsOf } from '../scim/profile/resolve.js';
import type { BasicCredentialOption, BearerTokenOption } from './auth.js';
import type { Timers } from './faults/timers.js';
import type { FaultSet } from './faults/types.js';
import type { RequestLogFormat } from './request-log.js';
import { servedSchemas, type ServedSchemas } from './resources/schemas.js';
import type { Store } from './store/types.js';
import { serverProfile } from './profile/server-profile.js';
import { serviceProviderConfig } from './profile/service-provider-config.js';
import type { Variation } from './variations.js';

export interface ReferenceServerOptions {
  /**
   * How the server behaves (docs/profiles.md): a bundled profile's name (strict, lenient, patch-204, …),
   * a profile file's path, or a profile document as YAML would parse. Default strict. The options
   * `compat`, `patchStatus`, `publicDiscovery`, `maxPageSize` and `variations` set profile fields over it.
   */
  profile?: string | ProfileDocument;
  /** Where the endpoints are mounted: '' (the root) or a path such as '/scim/v2' (the default). */
  basePath?: string;
  /** Accepted bearer tokens; one with `expiresAt` is a rotated-out token in its grace period. */
  tokens?: readonly (string | BearerTokenOption)[];
  /** Accepted HTTP Basic credentials; Basic is off without them. */
  basic?: readonly BasicCredentialOption[];
  /** Answer /ServiceProviderConfig, /ResourceTypes and /Schemas without a credential: the profile's discovery.public. Default false. */
  publicDiscovery?: boolean;
  /** The largest request body in bytes, answered beyond with 413. Default 1 MiB. */
  bodyLimit?: number;
  /** The most resources a list returns in one page; declared as the filter's maxResults: the profile's paging.maxResults. Default 1000. */
  maxPageSize?: number;
  /** Bulk limits (RFC 7644 §3.7), declared in /ServiceProviderConfig. Defaults: 1000 operations, `bodyLimit` bytes. */
  bulk?: { maxOperations?: number; maxPayloadSize?: number };
  /** How large one stored resource may grow: a write beyond is refused with 400 invalidValue. Defaults: 4 MiB of JSON, 100,000 values an attribute. */
  resources?: Partial<ResourceLimits>;
  /** Departures from the RFC to accept, over the profile's compat. */
  compat?: Partial<Compat>;
  /** PATCH answers 200 with the resource (default) or 204 without a body (RFC 7644 §3.5.2): the profile's patch.status. */
  patchStatus?: 200 | 204;
  /** RFC-correct behaviours that differ from the default: the bundled profiles/variations/NAME.yaml, each over the profile. Default none. */
  variations?: readonly Variation[];
  /** The clock: meta timestamps and token grace periods. Default the system clock. */
  now?: () => Date;
  /** Log one line per request to stdout, readable (`true`, `'text'`) or JSON (`'json'`), see request-log.ts. Default false. */
  log?: boolean | RequestLogFormat;
  /**
   * Where resources live: a Store, `'memory'` (the default: a new MemoryStore) or a PostgreSQL URL
   * (`postgres://user:password@host:5432/db`: a PostgresStore, its tables created or upgraded by
   * `listen()`, its connections ended by `close()`).
   */
  store?: Store | string;
  /** Faults to inject from the start (docs/faults.md); `ReferenceServer.faults` changes them later. Default none. */
  faults?: FaultSet;
  /** Enables the fault admin API at /_scimulator/faults for `Authorization: Bearer <adminToken>`. Default off: the path is unknown. */
  adminToken?: string;
  /** The timers fault delays and hangs wait on. Default the real ones; tests give virtual ones. */
  timers?: Timers;
  /** Where `listen()` binds. Defaults 127.0.0.1 and 0 (a free port). */
  host?: string;
  port?: number;
}

/** The options with every default applied; what route modules read. */
export interface ResolvedOptions {
  basePath: string;
  /** The profile in force, the options that set its fields applied. */
  profile: Profile;
  publicDiscovery: boolean;
  bodyLimit: number;
  maxPageSize: number;
  bulk: { maxOperations: number; maxPayloadSize: number };
  resources: ResourceLimits;
  compat: Compat;
  patchStatus: 200 | 204;
  /** The features its /ServiceProviderConfig declares supported: the server does what it declares (a Bulk it does not, 501). */
  declared: Record<SupportFeature, boolean>;
  /** What the target claims (the profile's `supports`, else what it declares), for a runner. */
  supports: Record<SupportFeature, boolean>;
  /** What the server declares and validates against, after the profile. */
  schemas: ServedSchemas;
  now: () => Date;
  log: false | RequestLogFormat;
  host: string;
  port: number;
}

export const DEFAULT_BASE_PATH = '/scim/v2';
const MiB = 1024 * 1024;

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got ${value}`);
  return value;
}

function port(value: number | undefined): number {
  if (value === undefined) return 0;
  if (!Number.isInteger(value) || value < 0 || value > 65535) throw new Error(`port must be an integer from 0 to 65535, got ${value}`);
  return value;
}

/** '/scim/v2/' and 'scim/v2' become '/scim/v2'; '/' becomes ''. */
function normalizeBasePath(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  if (trimmed === '') return '';
  const absolute = trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
  if (/[?#\s]/.test(absolute)) throw new Error(`basePath "${path}" must be a plain URL path, such as /scim/v2`);
  return absolute;
}

export function resolveOptions(options: ReferenceServerOptions): ResolvedOptions {
  const bodyLimit = positiveInteger('bodyLimit', options.bodyLimit, MiB);
  if (options.patchStatus !== undefined && options.patchStatus !== 200 && options.patchStatus !== 204) {
    throw new Error(`patchStatus must be 200 or 204, got ${String(options.patchStatus)}`);
  }
  const profile = serverProfile(options.profile, {
    compat: options.compat,
    patchStatus: options.patchStatus,
    publicDiscovery: options.publicDiscovery,
    maxPageSize: options.maxPageSize === undefined ? undefined : positiveInteger('maxPageSize', options.maxPageSize, 1000),
    variations: options.variations,
  });
  const bulk = {
    maxOperations: positiveInteger('bulk.maxOperations', options.bulk?.maxOperations, 1000),
    maxPayloadSize: positiveInteger('bulk.maxPayloadSize', options.bulk?.maxPayloadSize, bodyLimit),
  };
  const resources: ResourceLimits = {
    maxBytes: positiveInteger('resources.maxBytes', options.resources?.maxBytes, DEFAULT_RESOURCE_LIMITS.maxBytes),
    maxValues: positiveInteger('resources.maxValues', options.resources?.maxValues, DEFAULT_RESOURCE_LIMITS.maxValues),
  };
  const maxPageSize = profile.paging.maxResults;
  // The features only: the authentication schemes and meta are no feature.
  const config = serviceProviderConfig({ profile, bulk, maxPageSize }, { bearer: true, basic: false }, '');
  return {
    basePath: normalizeBasePath(options.basePath ?? DEFAULT_BASE_PATH),
    profile,
    publicDiscovery: profile.discovery.public,
    bodyLimit,
    maxPageSize,
    bulk,
    resources,
    compat: profile.compat,
    patchStatus: profile.patch.status,
    declared: supportsOf({ supports: {} }, config),
    supports: supportsOf(profile, config),
    schemas: servedSchemas(profile),
    now: options.now ?? (() => new Date()),
    log: options.log === true ? 'text' : (options.log ?? false),
    host: options.host ?? '127.0.0.1',
    port: port(options.port),
  };
}
