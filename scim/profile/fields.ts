import { COMPAT_OPTIONS, type Compat } from '../compat.js';
import type { JsonObject } from '../schema/keys.js';
import type { Spec } from './spec.js';

/*
 * The profile format: what a YAML profile may say (PROFILE_SPEC, which the reader and the JSON
 * Schema are both made from) and its two TypeScript shapes: ProfileDocument as written (every
 * section optional) and Profile, resolved over what it extends (every field known).
 */

export const RESOURCE_TYPES = ['User', 'Group'] as const;
export type ProfileResourceType = (typeof RESOURCE_TYPES)[number];

export type ProfileMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** The endpoints a profile can take away, with the methods each can have (RFC 7644 §3.2). */
export const ENDPOINT_METHODS = {
  '/Users': ['GET', 'POST'],
  '/Users/{id}': ['GET', 'PUT', 'PATCH', 'DELETE'],
  '/Groups': ['GET', 'POST'],
  '/Groups/{id}': ['GET', 'PUT', 'PATCH', 'DELETE'],
  '/Me': ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
  '/Bulk': ['POST'],
  '/.search': ['POST'],
  '/Users/.search': ['POST'],
  '/Groups/.search': ['POST'],
  '/ServiceProviderConfig': ['GET'],
  '/ResourceTypes': ['GET'],
  '/Schemas': ['GET'],
} as const satisfies Record<string, readonly ProfileMethod[]>;

export type Endpoint = keyof typeof ENDPOINT_METHODS;
export const ENDPOINTS = Object.keys(ENDPOINT_METHODS) as Endpoint[];

/** The filter operators of RFC 7644 §3.4.2.2; `[]` is a value filter (`emails[type eq "work"]`). */
export const FILTER_OPERATORS = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'lt', 'ge', 'le', 'pr', 'and', 'or', 'not', '[]'] as const;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];
/** The operators that compare or test one attribute, as `filter.attributes` lists them. */
export const ATTRIBUTE_OPERATORS = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'lt', 'ge', 'le', 'pr'] as const;
export type AttributeOperator = (typeof ATTRIBUTE_OPERATORS)[number];

export const PATCH_OPS = ['add', 'remove', 'replace'] as const;
export type PatchOp = (typeof PATCH_OPS)[number];

/** The kinds of value a PATCH operation may carry, as `patch.values` names them; booleanString is "True"/"False" in any case. */
export const VALUE_KINDS = ['boolean', 'booleanString', 'string', 'number', 'object', 'array', 'null'] as const;
export type ValueKind = (typeof VALUE_KINDS)[number];

export const AUTH_FORMS = ['bearer', 'raw', 'basic'] as const;
export type AuthForm = (typeof AUTH_FORMS)[number];

/** The members of `meta` (RFC 7643 §3.1) a resource may show. */
export const META_MEMBERS = ['resourceType', 'created', 'lastModified', 'location', 'version'] as const;
export type MetaMember = (typeof META_MEMBERS)[number];

/**
 * The list parameters a target may not know (RFC 7644 §3.4.2.3, §3.4.2.4, §3.4.2.5, §3.9): ignored ones are
 * read as if not sent, so an ignored startIndex is 1 and an ignored count the profile's page size.
 */
export const LIST_PARAMETERS = ['sortBy', 'sortOrder', 'attributes', 'excludedAttributes', 'startIndex', 'count'] as const;
export type ListParameter = (typeof LIST_PARAMETERS)[number];

/** The optional features of RFC 7643 §5 a target claims (`supports:`), as /ServiceProviderConfig names them. */
export const SUPPORT_FEATURES = ['patch', 'bulk', 'filter', 'changePassword', 'sort', 'etag'] as const;
export type SupportFeature = (typeof SUPPORT_FEATURES)[number];

/** An answer given as is: a status and any JSON body (a SCIM error of that status when the body is left out). */
export interface Answer {
  status: number;
  body?: unknown;
}

/** An error answer replaced for one status, on one endpoint or everywhere. */
export interface ErrorAnswer {
  status: number;
  endpoint?: Endpoint;
  body: unknown;
}

export interface PatchPaths {
  /** Attribute paths a PATCH may change (`name.givenName`, `active`, `members`); `name` covers its sub-attributes. */
  apply: string[];
  /** What an operation on another path gets: `refuse` (400 mutability) or `ignore` (dropped, the rest applied). */
  otherwise: 'refuse' | 'ignore';
}

/** Which value shapes a PATCH may carry: per form, the names it may set and the kinds of each value. */
export interface PatchValues {
  /** An operation with a path: the paths it may name (as `patch.paths` writes them), each with the kinds its value may have. */
  path?: Record<string, ValueKind[]>;
  /** A path-less operation: the members its value may hold, each with the kinds it may have. */
  pathless?: Record<string, ValueKind[]>;
  /** What another path, member or kind gets: `refuse` (400 invalidValue) or `ignore` (dropped, the rest applied). */
  otherwise: 'refuse' | 'ignore';
}

export interface StoredAttributes {
  /** `all`, or the attributes kept (core names, sub-attributes as `name.givenName`, extension URNs, extension attributes as `urn:…:name`). */
  stored: 'all' | string[];
  /** What an attribute of RFC 7643 the profile does not store gets: `ignore` (accepted, dropped) or `refuse` (400, as an unknown one). */
  unstored: 'ignore' | 'refuse';
  /** The members of `meta` a resource shows; without `version`, no ETag either. */
  meta: MetaMember[];
}

/** An account the service knows outside the team (an IdP's POST for it joins or invites it, `team`). */
export interface TeamAccount {
  email: string;
  /** The account belongs to another team. */
  otherTeam: boolean;
}

/** The team a multi-tenant service's SCIM key provisions (Postman ref §4.1): its accounts, invites and rules. */
export interface Team {
  /** False: every /Users and /Groups request answers 403, as when SCIM is turned off for the team. */
  scimEnabled: boolean;
  /** The email domains the team has verified: an existing account of one joins at once, and a userName may move to one. */
  verifiedDomains: string[];
  /** Accounts the service has outside the team. */
  accounts: TeamAccount[];
  invites: {
    /** The status a POST that invites answers: 2xx with the user, or a SCIM error. */
    status: number;
    /** A pending invitee is listed (and read) as an inactive user; false: unseen until accepted. */
    listed: boolean;
    /** What a POST for an address with an invite pending answers (a SCIM error with scimType uniqueness). */
    pendingStatus: number;
  };
  /** `any`: a userName may change to any address; `verified-domains`: only to one of verifiedDomains (else 400 mutability). */
  userNameChange: 'any' | 'verified-domains';
}

export interface UserAttributes extends StoredAttributes {
  /** The readOnly `groups`, computed from the Groups' members (RFC 7643 §4.1.2); false: Users have none. */
  groups: boolean;
}

export interface ServiceProviderConfigOverride {
  /** Members over the computed body, each replacing the computed member whole; null removes one. */
  fields?: JsonObject;
  /** The body served as is, instead of the computed one. */
  body?: JsonObject;
}

/** A profile resolved over the profiles it extends: every field has its value. */
export interface Profile {
  name: string;
  description: string;
  /** Sources of the profile's behaviour ("RFC 7644 §3.5.2", "Postman ref §3"). Not inherited. */
  refs: string[];
  compat: Compat;
  endpoints: {
    methods: Record<Endpoint, ProfileMethod[]>;
    /** What a route or method the target lacks answers; undefined: 404 for a path, 405 with Allow for a method, as SCIM errors. */
    absent?: Answer;
  };
  filter: {
    operators: FilterOperator[];
    /** Per resource type, when listed: the only attributes a filter may name, with their operators. */
    attributes: Partial<Record<ProfileResourceType, Record<string, AttributeOperator[]>>>;
    /** Per resource type and attribute: whether comparisons respect case, over the schema's caseExact. */
    caseExact: Partial<Record<ProfileResourceType, Record<string, boolean>>>;
    /** What a refused filter answers: the status, and a body instead of the SCIM invalidFilter error. */
    refusal: Answer;
  };
  paging: {
    /** The largest page, declared as filter.maxResults. */
    maxResults: number;
    /** The page size without `count`; undefined: maxResults. */
    defaultCount?: number;
    /** `clamp`: read as 1 (RFC 7644 §3.4.2.4); `refuse`: 400 invalidValue. */
    startIndexBelowOne: 'clamp' | 'refuse';
  };
  patch: {
    status: 200 | 204;
    ops: PatchOp[];
    paths: Partial<Record<ProfileResourceType, PatchPaths>>;
    /** Per resource type, when listed: the value shapes a PATCH may carry, judged after `paths`. */
    values: Partial<Record<ProfileResourceType, PatchValues>>;
    /** False: a PatchOp body's `schemas` is not checked (a client's `…:PutOp` passes). */
    checkSchemas: boolean;
  };
  put: {
    /** Per resource type, when listed: the only attributes a PUT changes; the others keep their stored values. */
    paths: Partial<Record<ProfileResourceType, PatchPaths>>;
  };
  parameters: {
    /** List, paging and projection parameters read as if they were not sent. */
    ignored: ListParameter[];
  };
  attributes: { User: UserAttributes; Group: StoredAttributes };
  discovery: {
    serviceProviderConfig: ServiceProviderConfigOverride;
    /** `list`: a ListResponse (RFC 7644 §4); `array`: a bare JSON array of ResourceType resources. */
    resourceTypes: 'list' | 'array';
    /** Discovery endpoints answer without a credential. */
    public: boolean;
    /** Schema resources served as given by /Schemas instead of what the server stores. */
    schemas?: JsonObject[];
  };
  errors: {
    /** `always`; `required`: only uniqueness, invalidFilter and noTarget (RFC 7644 §3.3, §3.4.2.2, §3.5.2); `never`. */
    scimType: 'always' | 'required' | 'never';
    answers: ErrorAnswer[];
  };
  auth: {
    forms: AuthForm[];
    /** Seconds a replaced bearer token stays valid after a rotation. */
    rotationGrace: number;
  };
  users: {
    put: 'replace' | 'keep-omitted';
    displayNameDefault: 'none' | 'userName';
    /** A User created without `active` is active (RFC 7644 §3.3 lets the server fill it). */
    activeDefault: boolean;
    /** `lower`: a userName is stored lower-cased; `as-sent`: as the client wrote it. */
    userNameCase: 'as-sent' | 'lower';
  };
  groups: {
    put: 'replace' | 'keep-omitted';
    memberDisplay: 'as-sent' | 'computed';
    /** True: two groups cannot share a displayName (409 uniqueness), compared as the displayName's caseExact says. */
    uniqueDisplayName: boolean;
    /** `deactivate-groupless`: deleting a group deactivates its user members that are left in no group. */
    onDelete: 'keep-members' | 'deactivate-groupless';
  };
  team: Team;
  /** What the target claims, where the profile says; the rest follows its /ServiceProviderConfig (see supportsOf). */
  supports: Partial<Record<SupportFeature, boolean>>;
}

type Sections = Omit<Profile, 'name' | 'description' | 'refs' | 'endpoints' | 'attributes' | 'discovery' | 'team'>;

/** A profile as written: every section and field optional. */
export interface ProfileDocument {
  name?: string;
  description?: string;
  /** A bundled profile's name, or a file (relative to this one); `none` for the built-in defaults. Default `strict`. */
  extends?: string;
  refs?: string[];
  compat?: Partial<Compat>;
  endpoints?: Partial<Record<Endpoint, ProfileMethod[]>> & { absent?: Answer };
  filter?: Partial<Sections['filter']>;
  paging?: Partial<Sections['paging']>;
  patch?: Partial<Sections['patch']>;
  put?: Partial<Sections['put']>;
  parameters?: Partial<Sections['parameters']>;
  attributes?: { User?: Partial<UserAttributes>; Group?: Partial<StoredAttributes> };
  discovery?: Partial<Profile['discovery']>;
  errors?: Partial<Sections['errors']>;
  auth?: Partial<Sections['auth']>;
  users?: Partial<Sections['users']>;
  groups?: Partial<Sections['groups']>;
  team?: Partial<Omit<Team, 'accounts' | 'invites'>> & { accounts?: (Pick<TeamAccount, 'email'> & Partial<TeamAccount>)[]; invites?: Partial<Team['invites']> };
  supports?: Partial<Record<SupportFeature, boolean>>;
}

// ---- the field table ----

/** The compat knobs in a line each, for the editor (scim/compat.ts says more). */
const COMPAT_WORDS: Record<keyof Compat, string> = {
  caseInsensitiveOps: "PATCH op in any case: Entra's Add, Replace, Remove",
  stringBooleans: '"True"/"False" accepted for booleans: Entra\'s legacy active',
  dottedPathlessKeys: 'A path-less PATCH value may use attribute paths as keys: {"name.givenName": "Ada"}',
  createOnFilteredPath: 'add/replace on attr[filter].sub creates the element when none matches',
  removeWithValue: 'remove on a multi-valued attribute with a value removes only the listed elements',
  complexFromScalar: 'A bare string for a complex attribute with a value sub-attribute becomes { value }',
  filterOnSingleComplex: 'remove manager[value eq "…"] on a single-valued complex attribute',
  unqualifiedExtensionAttributes: 'A PATCH path may name an extension attribute without its URN',
  ignoreUnknownAttributes: 'Attributes no schema defines are dropped instead of refused',
  unquotedFilterValues: 'A filter value may be written without quotes: externalId eq jyoung',
};

const bool = (description: string): Spec => ({ kind: 'boolean', description });
const oneOf = (values: readonly (string | number)[], description: string): Spec => ({ kind: 'enum', values, description });
const listOf = (values: readonly string[], description: string): Spec => ({ kind: 'list', of: { kind: 'enum', values }, unique: true, description });
const perType = (of: Spec, description: string): Spec => ({
  kind: 'object',
  description,
  fields: Object.fromEntries(RESOURCE_TYPES.map((type) => [type, of])),
});
const status: Spec = { kind: 'integer', min: 200, max: 599, description: 'An HTTP status' };
const answer = (description: string): Spec => ({
  kind: 'object',
  description,
  fields: { status, body: { kind: 'json', description: 'The body, any JSON; left out: a SCIM error (RFC 7644 §3.12)' } },
});
const attributeNames: Spec = {
  kind: 'list',
  of: { kind: 'string', nonEmpty: true },
  unique: true,
  description: 'Attribute paths: userName, name.givenName, urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department',
};
const stored: Spec = {
  kind: 'either',
  description: 'all, or the attributes kept; others are not stored',
  options: [{ kind: 'enum', values: ['all'] }, attributeNames],
};
const put = oneOf(['replace', 'keep-omitted'], 'replace: PUT replaces the whole resource; keep-omitted: attributes the body omits are kept (RFC 7644 §3.5.1)');
const unstored = oneOf(['ignore', 'refuse'], 'What an attribute the profile does not store gets: ignore (accepted and dropped) or refuse (400, as an unknown one)');
const meta = listOf(META_MEMBERS, 'The members of meta a resource shows (default all); without version, no ETag either');
/** Per resource type: the paths a write may change, and what others get. */
const paths = (what: string, otherwise: string): Spec =>
  perType(
    {
      kind: 'object',
      description: `The paths a ${what} may change`,
      fields: { apply: attributeNames, otherwise: oneOf(['refuse', 'ignore'], otherwise) },
      required: ['apply'],
    },
    `Per resource type: which paths ${what} applies`,
  );

/** Names (attribute paths) → the kinds of value each takes. */
const valueKinds = (description: string): Spec => ({
  kind: 'map',
  description,
  of: listOf(VALUE_KINDS, 'The kinds accepted: boolean, booleanString ("True"/"False" in any case, with compat.stringBooleans), string, number, object, array, null'),
});

export const PROFILE_SPEC: Spec = {
  kind: 'object',
  description: 'A scimulator profile: what a SCIM target supports and how it behaves (docs/profiles.md)',
  fields: {
    name: { kind: 'string', nonEmpty: true, description: 'The profile name (default: the file name)' },
    description: { kind: 'string', description: 'What the profile is, in a sentence' },
    extends: { kind: 'string', nonEmpty: true, description: 'A bundled profile (strict, lenient, patch-204, …), a file relative to this one, or none. Default strict' },
    refs: { kind: 'list', of: { kind: 'string', nonEmpty: true }, description: 'Sources: "RFC 7644 §3.5.2", "Postman ref §3"' },
    compat: {
      kind: 'object',
      description: 'Departures from RFC 7643/7644 that IdPs need (scim/compat.ts); lenient turns all on',
      fields: Object.fromEntries(COMPAT_OPTIONS.map((option) => [option, bool(COMPAT_WORDS[option])])),
    },
    endpoints: {
      kind: 'object',
      description: 'The methods each endpoint has ([] takes it away), and what an absent route or method answers',
      fields: {
        ...Object.fromEntries(ENDPOINTS.map((endpoint) => [endpoint, listOf(ENDPOINT_METHODS[endpoint], `The methods ${endpoint} has`)])),
        absent: answer('What a route or method the target lacks answers (default: 404 for a path, 405 for a method, SCIM errors)'),
      },
    },
    filter: {
      kind: 'object',
      description: 'Which filters a list or search accepts',
      fields: {
        operators: listOf(FILTER_OPERATORS, 'The operators accepted anywhere; [] is a value filter'),
        attributes: perType(
          { kind: 'map', of: listOf(ATTRIBUTE_OPERATORS, 'The operators this attribute takes'), description: 'Attribute path → operators' },
          'Per resource type: the only attributes a filter may name, with the operators each takes',
        ),
        caseExact: perType(
          { kind: 'map', of: bool('true: compared respecting case'), description: 'Attribute path → caseExact' },
          "Per resource type: whether an attribute's comparisons respect case, over the schema's caseExact",
        ),
        refusal: answer('What a refused filter answers (default 400 with a SCIM invalidFilter error)'),
      },
    },
    paging: {
      kind: 'object',
      description: 'Pages of lists and searches (RFC 7644 §3.4.2.4)',
      fields: {
        maxResults: { kind: 'integer', min: 1, description: 'The largest page; declared as filter.maxResults' },
        defaultCount: { kind: 'integer', min: 0, description: 'The page size when count is not given (default maxResults)' },
        startIndexBelowOne: oneOf(['clamp', 'refuse'], 'clamp: read as 1 (RFC 7644 §3.4.2.4); refuse: 400 invalidValue'),
      },
    },
    patch: {
      kind: 'object',
      description: 'PATCH (RFC 7644 §3.5.2)',
      fields: {
        status: oneOf([200, 204], '200 with the resource, or 204 without a body'),
        ops: listOf(PATCH_OPS, 'The ops accepted (their case is compat.caseInsensitiveOps)'),
        paths: paths('PATCH', 'What an operation on another path gets: refuse (400 mutability) or ignore (dropped)'),
        values: perType(
          {
            kind: 'object',
            description: 'The value shapes a PATCH may carry; a form left out is not judged',
            fields: {
              path: valueKinds('An operation with a path: the paths it may name, each with the kinds of its value'),
              pathless: valueKinds('A path-less operation: the members its value may hold, each with its kinds'),
              otherwise: oneOf(['refuse', 'ignore'], 'What another path, member or kind gets: refuse (400 invalidValue) or ignore (dropped)'),
            },
          },
          'Per resource type: which value shapes a PATCH may carry, after paths',
        ),
        checkSchemas: bool('false: the body\'s schemas is not checked for the PatchOp URN'),
      },
    },
    put: {
      kind: 'object',
      description: 'PUT (RFC 7644 §3.5.1)',
      fields: {
        paths: paths('PUT', 'What a changed value of another attribute gets: refuse (400 mutability) or ignore (the stored value is kept)'),
      },
    },
    parameters: {
      kind: 'object',
      description: 'Query parameters of lists and reads (RFC 7644 §3.4.2, §3.9)',
      fields: { ignored: listOf(LIST_PARAMETERS, 'Parameters read as if they were not sent: startIndex as 1, count as paging.defaultCount (default maxResults)') },
    },
    attributes: {
      kind: 'object',
      description: 'What each resource type stores',
      fields: {
        User: {
          kind: 'object',
          fields: { stored, unstored, meta, groups: bool('Users have the readOnly groups attribute, computed from the Groups (RFC 7643 §4.1.2)') },
        },
        Group: { kind: 'object', fields: { stored, unstored, meta } },
      },
    },
    discovery: {
      kind: 'object',
      description: '/ServiceProviderConfig, /ResourceTypes and /Schemas (RFC 7644 §4)',
      fields: {
        serviceProviderConfig: {
          kind: 'object',
          description: 'fields over the computed body, or the body whole',
          fields: {
            fields: { kind: 'json', object: true, description: 'Members over the computed body; each replaces the computed one whole, null removes it' },
            body: { kind: 'json', object: true, description: 'The body served as is' },
          },
        },
        resourceTypes: oneOf(['list', 'array'], 'list: a ListResponse (RFC 7644 §4); array: a bare JSON array'),
        public: bool('Discovery endpoints answer without a credential'),
        schemas: { kind: 'list', of: { kind: 'json', object: true }, description: 'Schema resources served as given instead of what is stored' },
      },
    },
    errors: {
      kind: 'object',
      description: 'Error answers',
      fields: {
        scimType: oneOf(['always', 'required', 'never'], 'always; required: only uniqueness, invalidFilter and noTarget; never'),
        answers: {
          kind: 'list',
          description: 'Bodies that replace the SCIM error of a status, everywhere or on one endpoint',
          of: {
            kind: 'object',
            fields: { status, endpoint: oneOf(ENDPOINTS, 'Only on this endpoint'), body: { kind: 'json', description: 'The body, any JSON' } },
            required: ['status', 'body'],
          },
        },
      },
    },
    auth: {
      kind: 'object',
      description: 'Credentials',
      fields: {
        forms: listOf(AUTH_FORMS, 'bearer: Authorization: Bearer <key>; raw: Authorization: <key>; basic: HTTP Basic'),
        rotationGrace: { kind: 'integer', min: 0, description: 'Seconds a replaced token stays valid after a rotation' },
      },
    },
    users: {
      kind: 'object',
      description: 'Users',
      fields: {
        put,
        displayNameDefault: oneOf(['none', 'userName'], 'userName: a User created without displayName gets its userName'),
        activeDefault: bool('A User created without active is active (default false: it has no active)'),
        userNameCase: oneOf(['as-sent', 'lower'], 'lower: a userName is stored lower-cased; as-sent: as written'),
      },
    },
    groups: {
      kind: 'object',
      description: 'Groups',
      fields: {
        put,
        memberDisplay: oneOf(['as-sent', 'computed'], "computed: members' display is the member's name, whatever the client sent"),
        uniqueDisplayName: bool('Two groups cannot share a displayName (409 uniqueness)'),
        onDelete: oneOf(['keep-members', 'deactivate-groupless'], 'deactivate-groupless: deleting a group deactivates its user members left in no group'),
      },
    },
    team: {
      kind: 'object',
      description: "The team a multi-tenant service's SCIM key provisions: accounts outside it, invites, rules",
      fields: {
        scimEnabled: bool('false: /Users and /Groups answer 403, as when SCIM is off for the team'),
        verifiedDomains: {
          kind: 'list',
          of: { kind: 'string', nonEmpty: true },
          unique: true,
          description: 'Email domains the team verified: an existing account there joins at once',
        },
        accounts: {
          kind: 'list',
          description: 'Accounts the service has outside the team: a POST for one joins, invites or conflicts',
          of: {
            kind: 'object',
            fields: {
              email: { kind: 'string', nonEmpty: true, description: 'The account, by email address (compared ignoring case)' },
              otherTeam: bool('The account belongs to another team'),
            },
            required: ['email'],
          },
        },
        invites: {
          kind: 'object',
          description: 'A POST for an existing account outside a verified domain invites it',
          fields: {
            status: { ...status, description: 'What the inviting POST answers: 2xx with the user, or a SCIM error' },
            listed: bool('A pending invitee is listed and read as an inactive user'),
            pendingStatus: { kind: 'integer', min: 400, max: 599, description: 'What a POST answers while an invite is pending' },
          },
        },
        userNameChange: oneOf(['any', 'verified-domains'], 'verified-domains: a userName may change only to an address in verifiedDomains'),
      },
    },
    supports: {
      kind: 'object',
      description: 'What the target claims, for the runner (run --profile); default what its /ServiceProviderConfig says',
      fields: Object.fromEntries(SUPPORT_FEATURES.map((feature) => [feature, bool(`The target supports ${feature}`)])),
    },
  },
};
