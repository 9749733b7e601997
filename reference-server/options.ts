import { STRICT, type Compat } from '../scim/compat.js';
import type { BasicCredentialOption, BearerTokenOption } from './auth.js';
import type { RequestLogFormat } from './request-log.js';
import { servedSchemas, type ServedSchemas } from './resources/schemas.js';
import type { Store } from './store/types.js';
import { isVariation, VARIATION_NAMES, type Variation } from './variations.js';

export interface ReferenceServerOptions {
  /** Where the endpoints are mounted: '' (the root) or a path such as '/scim/v2' (the default). */
  basePath?: string;
  /** Accepted bearer tokens; one with `expiresAt` is a rotated-out token in its grace period. */
  tokens?: readonly (string | BearerTokenOption)[];
  /** Accepted HTTP Basic credentials; Basic is off without them. */
  basic?: readonly BasicCredentialOption[];
  /** Answer /ServiceProviderConfig, /ResourceTypes and /Schemas without a credential. Default false. */
  publicDiscovery?: boolean;
  /** The largest request body in bytes, answered beyond with 413. Default 1 MiB. */
  bodyLimit?: number;
  /** The most resources a list returns in one page; declared as the filter's maxResults. Default 1000. */
  maxPageSize?: number;
  /** Bulk limits (RFC 7644 §3.7), declared in /ServiceProviderConfig. Defaults: 1000 operations, `bodyLimit` bytes. */
  bulk?: { maxOperations?: number; maxPayloadSize?: number };
  /** Departures from the RFC to accept, over STRICT. */
  compat?: Partial<Compat>;
  /** PATCH answers 200 with the resource (default) or 204 without a body (RFC 7644 §3.5.2). */
  patchStatus?: 200 | 204;
  /** RFC-correct behaviours that differ from the default (see variations.ts). Default none. */
  variations?: readonly Variation[];
  /** The clock: meta timestamps and token grace periods. Default the system clock. */
  now?: () => Date;
  /** Log one line per request to stdout, readable (`true`, `'text'`) or JSON (`'json'`), see request-log.ts. Default false. */
  log?: boolean | RequestLogFormat;
  /** Where resources live. Default a new MemoryStore. */
  store?: Store;
  /** Where `listen()` binds. Defaults 127.0.0.1 and 0 (a free port). */
  host?: string;
  port?: number;
}

/** The options with every default applied; what route modules read. */
export interface ResolvedOptions {
  basePath: string;
  publicDiscovery: boolean;
  bodyLimit: number;
  maxPageSize: number;
  bulk: { maxOperations: number; maxPayloadSize: number };
  compat: Compat;
  patchStatus: 200 | 204;
  variations: ReadonlySet<Variation>;
  /** What the server declares and validates against, after the variations. */
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

function variationSet(names: readonly string[]): ReadonlySet<Variation> {
  const unknown = names.find((name) => !isVariation(name));
  if (unknown !== undefined) throw new Error(`unknown variation "${unknown}": the variations are ${VARIATION_NAMES.join(', ')}`);
  return new Set(names as Variation[]);
}

export function resolveOptions(options: ReferenceServerOptions): ResolvedOptions {
  const variations = variationSet(options.variations ?? []);
  const bodyLimit = positiveInteger('bodyLimit', options.bodyLimit, MiB);
  if (options.patchStatus !== undefined && options.patchStatus !== 200 && options.patchStatus !== 204) {
    throw new Error(`patchStatus must be 200 or 204, got ${String(options.patchStatus)}`);
  }
  return {
    basePath: normalizeBasePath(options.basePath ?? DEFAULT_BASE_PATH),
    publicDiscovery: options.publicDiscovery ?? false,
    bodyLimit,
    maxPageSize: positiveInteger('maxPageSize', options.maxPageSize, 1000),
    bulk: {
      maxOperations: positiveInteger('bulk.maxOperations', options.bulk?.maxOperations, 1000),
      maxPayloadSize: positiveInteger('bulk.maxPayloadSize', options.bulk?.maxPayloadSize, bodyLimit),
    },
    compat: { ...STRICT, ...options.compat },
    patchStatus: variations.has('patch-204') ? 204 : (options.patchStatus ?? 200),
    variations,
    schemas: servedSchemas(variations),
    now: options.now ?? (() => new Date()),
    log: options.log === true ? 'text' : (options.log ?? false),
    host: options.host ?? '127.0.0.1',
    port: port(options.port),
  };
}
