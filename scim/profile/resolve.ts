import { STRICT } from '../compat.js';
import { getKey, isObject, type JsonObject } from '../schema/keys.js';
import {
  ENDPOINT_METHODS,
  ENDPOINTS,
  FILTER_OPERATORS,
  META_MEMBERS,
  PATCH_OPS,
  PROFILE_SPEC,
  RESOURCE_TYPES,
  SUPPORT_FEATURES,
  type Endpoint,
  type PatchPaths,
  type Profile,
  type ProfileDocument,
  type ProfileMethod,
  type SupportFeature,
} from './fields.js';
import { readSpec, type SpecProblem } from './spec.js';

/** A profile that cannot be used: every mistake, each with where it is and what the field takes. */
export class ProfileError extends Error {
  constructor(
    readonly where: string,
    readonly problems: readonly SpecProblem[],
  ) {
    super(problems.length === 1 ? `${where}: ${line(problems[0]!)}` : `${where} has ${problems.length} mistakes:\n${problems.map((p) => `  ${line(p)}`).join('\n')}`);
    this.name = 'ProfileError';
  }
}

const line = (problem: SpecProblem) => `${problem.path}: ${problem.message}`;

/** The built-in defaults: the RFC behaviour of the reference server, which `strict` adds nothing to. */
const DEFAULTS: Profile = {
  name: 'none',
  description: 'The built-in defaults: RFC 7643/7644 as written',
  refs: [],
  compat: { ...STRICT },
  endpoints: { methods: Object.fromEntries(ENDPOINTS.map((e) => [e, [...ENDPOINT_METHODS[e]]])) as Record<Endpoint, ProfileMethod[]> },
  filter: { operators: [...FILTER_OPERATORS], attributes: {}, caseExact: {}, refusal: { status: 400 } },
  paging: { maxResults: 1000, startIndexBelowOne: 'clamp' },
  patch: { status: 200, ops: [...PATCH_OPS], paths: {}, values: {}, checkSchemas: true },
  put: { paths: {} },
  parameters: { ignored: [] },
  attributes: {
    User: { stored: 'all', unstored: 'refuse', meta: [...META_MEMBERS], groups: true },
    Group: { stored: 'all', unstored: 'refuse', meta: [...META_MEMBERS] },
  },
  discovery: { serviceProviderConfig: {}, resourceTypes: 'list', public: false },
  errors: { scimType: 'always', answers: [] },
  auth: { forms: ['bearer', 'basic'], rotationGrace: 0 },
  users: { put: 'replace', displayNameDefault: 'none', activeDefault: false, userNameCase: 'as-sent' },
  groups: { put: 'replace', memberDisplay: 'as-sent', uniqueDisplayName: false, onDelete: 'keep-members' },
  team: { scimEnabled: true, verifiedDomains: [], accounts: [], invites: { status: 201, listed: false, pendingStatus: 409 }, userNameChange: 'any' },
  supports: {},
};

export const DEFAULT_PROFILE: Readonly<Profile> = Object.freeze(DEFAULTS);

/**
 * Checks parsed YAML or JSON against the profile format; throws a ProfileError naming every
 * mistake's field path and what the field takes. `where` names the source (a file) in the message.
 */
export function readProfile(data: unknown, where: string): ProfileDocument {
  const problems = readSpec(data ?? {}, PROFILE_SPEC);
  if (problems.length > 0) throw new ProfileError(where, problems);
  return (data ?? {}) as ProfileDocument;
}

const given = <T>(value: T | undefined, fallback: T): T => (value === undefined ? fallback : value);

function perType<T>(base: Partial<Record<string, T>>, over: Partial<Record<string, T>> | undefined, merge: (a: T | undefined, b: T) => T): Partial<Record<string, T>> {
  if (!over) return base;
  const out = { ...base };
  for (const type of RESOURCE_TYPES) {
    const value = over[type];
    if (value !== undefined) out[type] = merge(base[type], value);
  }
  return out;
}

/** A `paths` entry as written, with `otherwise` defaulting to refuse. */
const withOtherwise = (_: PatchPaths | undefined, b: PatchPaths): PatchPaths => ({ apply: b.apply, otherwise: b.otherwise ?? 'refuse' });

/** ServiceProviderConfig members over others: each replaces its namesake whole; null removes it. */
export function overMembers(base: JsonObject, fields: JsonObject | undefined): JsonObject {
  if (!fields) return base;
  const out: JsonObject = { ...base };
  for (const [key, value] of Object.entries(fields)) {
    if (value === null) delete out[key];
    else out[key] = value;
  }
  return out;
}

/**
 * `document`'s sections over `base`: a field given replaces the base's (a list whole); per-type
 * and per-endpoint tables replace entry by entry. Name, description and refs are the base's.
 */
export function overlayProfile(base: Readonly<Profile>, document: ProfileDocument): Profile {
  const d = document;
  const { absent, ...methods } = d.endpoints ?? {};
  const spc = d.discovery?.serviceProviderConfig;
  return {
    name: base.name,
    description: base.description,
    refs: base.refs,
    compat: { ...base.compat, ...d.compat },
    endpoints: {
      methods: { ...base.endpoints.methods, ...(methods as Partial<Record<Endpoint, ProfileMethod[]>>) },
      ...((absent ?? base.endpoints.absent) && { absent: absent ?? base.endpoints.absent }),
    },
    filter: {
      operators: given(d.filter?.operators, base.filter.operators),
      attributes: perType(base.filter.attributes, d.filter?.attributes, (_, b) => b),
      caseExact: perType(base.filter.caseExact, d.filter?.caseExact, (a, b) => ({ ...a, ...b })),
      refusal: given(d.filter?.refusal, base.filter.refusal),
    },
    paging: {
      maxResults: given(d.paging?.maxResults, base.paging.maxResults),
      ...((d.paging?.defaultCount ?? base.paging.defaultCount) !== undefined && { defaultCount: d.paging?.defaultCount ?? base.paging.defaultCount }),
      startIndexBelowOne: given(d.paging?.startIndexBelowOne, base.paging.startIndexBelowOne),
    },
    patch: {
      status: given(d.patch?.status, base.patch.status),
      ops: given(d.patch?.ops, base.patch.ops),
      paths: perType(base.patch.paths, d.patch?.paths, withOtherwise),
      values: perType(base.patch.values, d.patch?.values, (_, b) => ({ ...b, otherwise: b.otherwise ?? 'refuse' })),
      checkSchemas: given(d.patch?.checkSchemas, base.patch.checkSchemas),
    },
    put: { paths: perType(base.put.paths, d.put?.paths, withOtherwise) },
    parameters: { ignored: given(d.parameters?.ignored, base.parameters.ignored) },
    attributes: {
      User: { ...base.attributes.User, ...d.attributes?.User },
      Group: { ...base.attributes.Group, ...d.attributes?.Group },
    },
    discovery: {
      serviceProviderConfig: {
        ...(spc?.body ?? base.discovery.serviceProviderConfig.body ? { body: spc?.body ?? base.discovery.serviceProviderConfig.body } : {}),
        ...(spc?.fields || base.discovery.serviceProviderConfig.fields
          ? { fields: { ...base.discovery.serviceProviderConfig.fields, ...spc?.fields } }
          : {}),
      },
      resourceTypes: given(d.discovery?.resourceTypes, base.discovery.resourceTypes),
      public: given(d.discovery?.public, base.discovery.public),
      ...((d.discovery?.schemas ?? base.discovery.schemas) && { schemas: d.discovery?.schemas ?? base.discovery.schemas }),
    },
    errors: { scimType: given(d.errors?.scimType, base.errors.scimType), answers: given(d.errors?.answers, base.errors.answers) },
    auth: { ...base.auth, ...d.auth },
    users: { ...base.users, ...d.users },
    groups: { ...base.groups, ...d.groups },
    team: {
      ...base.team,
      ...d.team,
      accounts: d.team?.accounts?.map((account) => ({ otherTeam: false, ...account })) ?? base.team.accounts,
      invites: { ...base.team.invites, ...d.team?.invites },
    },
    supports: { ...base.supports, ...d.supports },
  };
}

/** Where a profile named by `extends` comes from: its document and a name for messages and cycles. */
export interface ProfileSource {
  document: ProfileDocument;
  /** A file path or `bundled profile NAME`: identifies the profile (two equal ones are one profile). */
  where: string;
  /** The name it goes by when it gives none (a file's base name). */
  name: string;
}

/** Finds the profile `name` that the profile at `from` extends; throws when there is none. */
export type ProfileLookup = (name: string, from: string) => ProfileSource;

/**
 * The profile `source` describes, over the chain of profiles it extends (default `strict`;
 * `none` is the built-in defaults). A chain that comes back on itself is an error.
 */
export function resolveProfile(source: ProfileSource, lookup: ProfileLookup): Profile {
  const chain: ProfileSource[] = [];
  let current: ProfileSource | undefined = source;
  while (current) {
    const here: ProfileSource = current;
    if (chain.some((s) => s.where === here.where)) {
      const names = [...chain, here].map((s) => s.where).join(' → ');
      throw new ProfileError(chain[0]!.where, [{ path: 'extends', message: `goes round in a circle: ${names}; end the chain at strict or none` }]);
    }
    chain.push(here);
    const parent = here.document.extends ?? 'strict';
    current = parent === 'none' ? undefined : lookup(parent, here.where);
  }
  let profile: Profile = { ...DEFAULT_PROFILE };
  for (const link of chain.reverse()) {
    profile = {
      ...overlayProfile(profile, link.document),
      name: link.document.name ?? link.name,
      description: link.document.description ?? '',
      refs: link.document.refs ?? [],
    };
  }
  return profile;
}

/**
 * What the target claims (RFC 7643 §5 features): the profile's `supports`, and for each feature
 * it leaves out, what the ServiceProviderConfig body says (`supported: true`).
 */
export function supportsOf(profile: Pick<Profile, 'supports'>, serviceProviderConfig: JsonObject): Record<SupportFeature, boolean> {
  const out = {} as Record<SupportFeature, boolean>;
  for (const feature of SUPPORT_FEATURES) {
    const entry = getKey(serviceProviderConfig, feature);
    out[feature] = profile.supports[feature] ?? (isObject(entry) && getKey(entry, 'supported') === true);
  }
  return out;
}
