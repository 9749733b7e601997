import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageDir } from './files.js';
import type { Field, IdpDescription, IdpDescriptions, Shape } from './idp-description.js';
import { MATCHER_KEYS } from './matcher-shorthand.js';
import { shapeWords } from './shapes.js';
import { OPTIONAL_FEATURES } from '../types.js';

/** What a scenario id looks like: lowercase words, digits and '-', separated by dots. */
export const SCENARIO_ID = /^[a-z0-9]+(-[a-z0-9]+)*(\.[a-z0-9]+(-[a-z0-9]+)*)*$/;

/** A JSON Schema, as plain data. */
export type JsonSchema = { [key: string]: unknown };

/** A `covers` entry: one word, so that it reads as one scorecard row. */
export const COVERS_WORD = /^[A-Za-z][A-Za-z0-9-]*$/;

/**
 * The JSON Schema of a scenario file (draft 2020-12), for editors and for the loader. With
 * `perIdp`, it also says what each IdP's scenarios say in that IdP's terms, from its
 * IdpDescription: events and their arguments, settings, directory fields, outcome records. That
 * is the editor schema, scenarios/scenario.schema.json (harness/cli/write-schema.ts writes it); the loader
 * checks those parts itself, in its own words (idp-checks.ts), and validates the rest with ajv.
 */
export function scenarioSchema(idps: IdpDescriptions, { perIdp = false } = {}): JsonSchema {
  const names = Object.keys(idps);
  const some = names.join(' | ');
  const text = (description: string) => ({ description, type: 'string', minLength: 1 });
  const schema: JsonSchema = {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'scimulator scenario',
    description: `One scenario that scimulator replays against a SCIM server: raw protocol steps (idp: none) or an IdP's traffic (idp: ${some}). See docs/scenario-format.md.`,
    type: 'object',
    required: ['title', 'refs', 'steps'],
    properties: {
      $schema: { description: 'The JSON Schema of this file, for editors. scimulator ignores it.', type: 'string' },
      id: {
        description: "Stable id, unique across the library: lowercase words, digits and '-', separated by dots (rfc7644.users.create-201). Reports, --grep and history use it: do not rename. In the bundled library it defaults to the file's path (okta/oin/create-user.yaml → okta.oin.create-user); elsewhere it is required.",
        type: 'string',
        pattern: SCENARIO_ID.source,
        errorMessage: "must be lowercase words, digits and '-', separated by dots (like rfc7644.users.create-201)",
      },
      title: text('One sentence: what a conforming server does.'),
      description: { description: 'More words, when the title is not enough.', type: 'string' },
      refs: {
        description: "The sections this scenario checks, at least one: 'RFC 7644 §3.4.2.2', 'RFC 7643 §4.1', 'Okta ref §6.1'.",
        type: 'array',
        minItems: 1,
        items: text("A document and section: 'RFC 7644 §3.3'."),
      },
      tags: {
        description: "Words for `scimulator run --tag` and `scimulator list --tag`. In the bundled library the file's folders are tags already (okta/oin/x.yaml → okta, oin): write only others.",
        type: 'array',
        items: text('A tag: users, groups, errors, strict…'),
      },
      requires: {
        description: 'Optional SCIM features the target must support (its /ServiceProviderConfig, or a profile); without one, the scenario is skipped (not supported), not failed.',
        type: 'array',
        uniqueItems: true,
        items: { description: 'An optional feature of RFC 7643 §5.', enum: [...OPTIONAL_FEATURES] },
      },
      covers: {
        description: "What the scenario exercises, as rows of the report's scorecard: an IdP scenario's capabilities (pushGroups, deprovisioning), as its IdP documents them, a protocol scenario's areas (filter, patch), in its own words. For a protocol scenario of the bundled library it defaults to the folder below its suite (rfc7644/filter/x.yaml → filter).",
        type: 'array',
        uniqueItems: true,
        items: { ...text('A capability or area: pushGroups, createUsers, deprovisioning, filter…'), pattern: COVERS_WORD.source, errorMessage: "must be one word: letters, digits and '-' (like pushGroups or on-demand)" },
      },
      idp: {
        description: `Who talks to the target: none (raw protocol steps, the default), or an IdP simulator driven by event steps: ${names.join(', ')}.`,
        enum: ['none', ...names],
        default: 'none',
      },
      settings: { description: `The IdP simulator's knobs (docs/<idp>.md). Only for idp: ${some}.`, type: 'object' },
      directory: {
        description: `The IdP's directory: users and groups by a scenario-local name, which event steps and expect.target refer to. Only for idp: ${some}.`,
        type: 'object',
      },
      target: {
        description:
          "What the scenario asks of the target. Without run --target, scimulator starts its reference server with this profile, and a scenario with faults gets a server of its own; with --target, the profile is ignored and faults go through the target's admin API (run --admin-token).",
        type: 'object',
        minProperties: 1,
        properties: {
          profile: {
            description: "The embedded reference server's profile (docs/profiles.md): a bundled name (strict, lenient, variations/patch-204, …) or a file relative to this scenario file. Default: the one its IdP needs, else strict.",
            type: 'string',
            minLength: 1,
            examples: ['strict', 'lenient', 'variations/patch-204', './my-target.yaml'],
          },
          faults: { $ref: '#/$defs/faultRules' },
        },
        additionalProperties: false,
      },
      steps: {
        description: `The steps, in order. idp: none — request steps and target steps. idp: ${some} — IdP event steps (\`assign: ada\`, \`advance: 40m\`), expect steps, request steps and target steps.`,
        type: 'array',
        minItems: 1,
        items: { $ref: '#/$defs/step' },
      },
    },
    additionalProperties: false,
    if: { properties: { idp: { const: 'none' } } },
    then: { properties: { steps: { items: { if: { not: { required: ['target'] } }, then: { required: ['request'] } } } } },
    $defs: { ...BASE_DEFINITIONS },
  };
  if (!perIdp) return schema;
  schema.allOf = names.map((name) => idpCondition(name, idps[name]!));
  for (const [name, idp] of Object.entries(idps)) Object.assign(schema.$defs as JsonSchema, idpDefinitions(name, idp));
  Object.assign(schema.$defs as JsonSchema, faultDefinitions());
  return schema;
}

/**
 * The fault rule's definitions of docs/faults.schema.json, for editors, each renamed with a
 * `fault` prefix (rule → faultRule). The loader checks rules with the server's own checker
 * (target-checks.ts), in its words, so only the editor schema holds them.
 */
function faultDefinitions(): Record<string, JsonSchema> {
  const file = join(packageDir(), 'docs', 'faults.schema.json');
  const faults = JSON.parse(readFileSync(file, 'utf8')) as { $defs: Record<string, JsonSchema>; properties: { rules: JsonSchema } };
  const prefixed = (name: string) => `fault${name[0]!.toUpperCase()}${name.slice(1)}`;
  const renamed = JSON.parse(JSON.stringify(faults.$defs).replace(/"#\/\$defs\/(\w+)"/g, (_, name: string) => JSON.stringify(`#/$defs/${prefixed(name)}`))) as Record<string, JsonSchema>;
  const { description, maxItems } = faults.properties.rules;
  return {
    ...Object.fromEntries(Object.entries(renamed).map(([name, definition]) => [prefixed(name), definition])),
    faultRules: { ...BASE_DEFINITIONS.faultRules, ...(description !== undefined && { description }), ...(maxItems !== undefined && { maxItems }), items: { $ref: '#/$defs/faultRule' } },
  };
}

const BASE_DEFINITIONS: Record<string, JsonSchema> = {
  step: {
    description: 'A request step (with `request`), a target step (only `target`), an expect step (only `expect`, IdP scenarios), or one IdP event (`assign: ada`, IdP scenarios).',
    type: 'object',
    errorMessage: 'must be a step: a mapping with `request`, a `target`, an `expect` (IdP scenarios), or one IdP event like `assign: ada`',
    properties: {
      name: { description: 'What this step does, in a few words; reports show it.' },
      ref: { description: "The section this step's checks come from, when narrower than the scenario's refs." },
      request: { description: 'The request this step sends to the target.' },
      expect: { description: 'In a request step: checks on the response. Alone: checks on what the IdP did since the previous expect step.' },
      save: { description: "Values of the response to keep for later steps' {{name}}." },
      target: {
        description: "Alone: { faults: [...] } replaces the fault rules from this step on ([] clears them); { invite: { accept | delete: EMAIL } } acts as the team admin on a pending invite; { rotateToken: {} } regenerates the SCIM key; { advanceClock: 5m } moves the target's clock.",
      },
    },
    if: { required: ['request'] },
    then: { $ref: '#/$defs/requestStep' },
    else: {
      if: { required: ['target'] },
      then: { $ref: '#/$defs/targetStep' },
      else: { if: { required: ['expect'] }, then: { $ref: '#/$defs/idpExpectStep' }, else: { $ref: '#/$defs/idpEventStep' } },
    },
  },
  targetStep: {
    description: "Replaces the scenario's fault rules from this step on, acts as the target's team admin (a pending invite, the SCIM key), or moves its clock (the profile stays the scenario's).",
    type: 'object',
    required: ['target'],
    properties: {
      target: {
        description:
          "One of: faults, the fault rules in force from this step on ([] clears them); invite, what the team admin does with a pending invite; rotateToken, the team admin regenerates the SCIM key; advanceClock, the target's clock moves forward.",
        type: 'object',
        minProperties: 1,
        maxProperties: 1,
        properties: {
          faults: { $ref: '#/$defs/faultRules' },
          invite: { $ref: '#/$defs/inviteAction' },
          rotateToken: {
            description: "The team admin regenerates the target's SCIM key (Postman ref §6): the harness uses the new key from here on; the old one stays valid for the target's grace. saveOld: NAME keeps the old key for auth: { bearer: '{{NAME}}' }. Against --target, through its admin API (run --admin-token).",
            type: 'object',
            properties: { saveOld: { description: 'The name under which {{NAME}} gives the key this step replaces.', type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' } },
            additionalProperties: false,
          },
          advanceClock: {
            description: "Moves the target's clock forward (a regenerated key's grace): the scenario's own embedded server's; against --target, through its admin API (run --admin-token).",
            type: 'string',
            pattern: '^(\\d+(ms|s|m|h|d))+$',
            examples: ['301s', '5m'],
          },
        },
        additionalProperties: false,
      },
    },
    additionalProperties: false,
  },
  inviteAction: {
    description: "The team admin of a target whose profile has a team (docs/profiles.md, team) accepts or deletes the invite pending for an email (or id); against --target, through its admin API (run --admin-token).",
    type: 'object',
    minProperties: 1,
    maxProperties: 1,
    properties: {
      accept: { description: 'The invitee accepts: the account joins the team as an active member.', type: 'string', minLength: 1, examples: ['eli@freelance.example'] },
      delete: { description: 'The admin deletes the invite: the next POST for the account invites it again.', type: 'string', minLength: 1 },
    },
    additionalProperties: false,
  },
  faultRules: {
    description: 'Fault rules (docs/faults.md), tried in order: the first that acts on a request decides its fault.',
    type: 'array',
  },
  requestStep: {
    description: 'One request to the target, checks on its response, and values saved for later steps.',
    type: 'object',
    required: ['request'],
    properties: {
      name: { description: 'What this step does, in a few words; reports show it.', type: 'string' },
      ref: { description: "The section this step's checks come from, when narrower than the scenario's refs.", type: 'string' },
      request: { $ref: '#/$defs/request' },
      expect: { $ref: '#/$defs/responseExpectation' },
      save: { $ref: '#/$defs/save' },
    },
    additionalProperties: false,
  },
  request: {
    description: 'The request: method, path, and optionally query, headers, body or rawBody, auth.',
    type: 'object',
    required: ['method', 'path'],
    properties: {
      method: { description: 'The HTTP method.', type: 'string', pattern: '^[A-Za-z]+$', examples: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] },
      path: {
        description: "Relative to the target's base URL, starting with '/': /Users/{{userId}}; may carry a query string. Or a saved value alone, such as a Location URL: {{location}} (it must name the target's own origin).",
        type: 'string',
        pattern: '^(/|\\{\\{\\s*[A-Za-z_][A-Za-z0-9_]*\\s*\\}\\}$)',
        errorMessage: "must start with '/' (it is relative to the target's base URL, like /Users), or be a saved value alone, like {{location}}",
      },
      query: {
        description: `Query parameters, URL-encoded by the runner and appended in this order: \`{ filter: 'userName eq "x"', count: 10 }\`.`,
        type: 'object',
        additionalProperties: { description: "A query parameter's value.", type: ['string', 'number', 'boolean'] },
      },
      headers: {
        description: 'Request headers by name. Numbers and booleans are sent as text.',
        type: 'object',
        additionalProperties: { description: "A header's value.", type: ['string', 'number', 'boolean'] },
      },
      body: { description: 'A JSON body, sent as application/scim+json unless headers say otherwise. Strings may hold {{templates}}.' },
      rawBody: { description: 'A body sent byte for byte (malformed JSON, other content types). Not with body.', type: 'string' },
      auth: {
        description: "Credentials: default (the run's), none, or { bearer: token } to send that token instead.",
        anyOf: [
          { enum: ['default', 'none'] },
          {
            type: 'object',
            required: ['bearer'],
            properties: { bearer: { description: 'The token to send as `Bearer <token>`.', type: 'string' } },
            additionalProperties: false,
          },
        ],
        errorMessage: 'must be default, none or { bearer: some-token }',
      },
    },
    additionalProperties: false,
  },
  responseExpectation: {
    description: 'Checks on the response: status, headers, body, schema.',
    type: 'object',
    properties: {
      status: {
        description: 'The status, or a list of acceptable ones.',
        anyOf: [{ $ref: '#/$defs/statusCode' }, { type: 'array', minItems: 1, items: { $ref: '#/$defs/statusCode' } }],
        errorMessage: 'must be a number or a list of numbers (HTTP statuses, 100 to 599)',
      },
      headers: {
        description: 'Header name (any case) → matcher, or a plain value that the header must equal.',
        type: 'object',
        additionalProperties: { $ref: '#/$defs/matcherOrValue' },
      },
      body: {
        description: 'Path into the JSON body (userName, name.familyName, Resources[0].id, urn:…:enterprise:2.0:User:employeeNumber, ["urn:…:User"] for a whole extension; $ is the body itself) → matcher, or a plain value it must equal.',
        type: 'object',
        additionalProperties: { $ref: '#/$defs/matcherOrValue' },
      },
      schema: {
        description: 'The message type whose JSON Schema the body must validate against.',
        enum: ['User', 'Group', 'ListResponse', 'Error', 'ServiceProviderConfig', 'ResourceType', 'Schema', 'BulkResponse'],
      },
    },
    additionalProperties: false,
  },
  statusCode: { description: 'An HTTP status.', type: 'integer', minimum: 100, maximum: 599 },
  save: {
    description: 'Name → where the value comes from: a body path (id), { header: etag } or { status: true }. Later steps use it as {{name}}.',
    type: 'object',
    propertyNames: {
      pattern: '^[A-Za-z_][A-Za-z0-9_]*$',
      not: { enum: ['uuid', 'baseUrl', 'unique'] },
      errorMessage: 'is not a name to save under: use letters, digits and _ (but not uuid, baseUrl or unique)',
    },
    additionalProperties: { $ref: '#/$defs/saveSource' },
  },
  saveSource: {
    description: 'A path into the response body (id, meta.version), { header: name } or { status: true }.',
    anyOf: [
      { type: 'string', minLength: 1 },
      {
        type: 'object',
        required: ['header'],
        properties: { header: { description: 'The response header to save, any case.', type: 'string', minLength: 1 } },
        additionalProperties: false,
      },
      {
        type: 'object',
        required: ['status'],
        properties: { status: { description: 'Save the response status.', const: true } },
        additionalProperties: false,
      },
    ],
    errorMessage: 'must be a body path (like id), { header: name } or { status: true }',
  },
  matcherOrValue: {
    description: 'A matcher (a mapping of equals, contains, containsAll, matches, type, absent, present, length, oneOf, not, ignoreCase) or a plain value, which means { equals: value }. A mapping with any other key is a plain value.',
    properties: {
      equals: {
        description: 'Equal to this value; a mapping matches partially (listed members must match, others may exist); lists match element for element.',
      },
      contains: { description: 'A string contains this text, or a list has an element that deep-matches this value.' },
      containsAll: { description: 'A list has, for each of these values, an element that deep-matches it, in any order.' },
      matches: { description: 'A JavaScript regular expression the string must match (unanchored).' },
      type: { description: 'The JSON type: string, number, integer, boolean, object, array or null.' },
      absent: { description: 'true: the value must be unassigned: missing, null or an empty list (RFC 7643 §2.5).' },
      present: { description: 'true: the value must be assigned: not missing, null or an empty list.' },
      length: { description: 'The length of a list or string.' },
      oneOf: { description: 'Equal to one of these values.' },
      not: { description: "The value must fail this check: a matcher, or a plain value meaning 'not equal to it'." },
      ignoreCase: { description: 'true: compare strings ignoring case (equals, contains, matches, oneOf).' },
    },
    if: {
      type: 'object',
      minProperties: 1,
      propertyNames: { enum: [...MATCHER_KEYS] },
    },
    then: { $ref: '#/$defs/matcher' },
  },
  pattern: {
    description:
      'A value matched partially: a mapping lists the members to check (others may exist), a list must match element for element, a scalar must be equal; a mapping of matcher keys only is a matcher, at any depth.',
    if: { type: 'object', minProperties: 1, propertyNames: { enum: [...MATCHER_KEYS] } },
    then: { $ref: '#/$defs/matcher' },
    else: { additionalProperties: { $ref: '#/$defs/pattern' }, items: { $ref: '#/$defs/pattern' } },
  },
  matcher: {
    description: 'Checks on one value; all given checks must pass.',
    type: 'object',
    properties: {
      equals: {
        description: 'Equal to this value; a mapping matches partially (listed members must match, others may exist); lists match element for element.',
      },
      contains: { description: 'A string contains this text, or a list has an element that deep-matches this value.' },
      containsAll: { description: 'A list has, for each of these values, an element that deep-matches it, in any order.', type: 'array', minItems: 1 },
      matches: { description: 'A JavaScript regular expression the string must match (unanchored).', type: 'string' },
      type: {
        description: 'The JSON type of the value.',
        enum: ['string', 'number', 'integer', 'boolean', 'object', 'array', 'null'],
        errorMessage: 'must be one of string, number, integer, boolean, object, array, null (to compare with a mapping that has a `type` member, write { equals: { type: … } })',
      },
      absent: { description: 'true: the value must be unassigned: missing, null or an empty list (RFC 7643 §2.5).', type: 'boolean' },
      present: { description: 'true: the value must be assigned: not missing, null or an empty list.', type: 'boolean' },
      length: { description: 'The length of a list or string.', type: 'integer', minimum: 0 },
      oneOf: { description: 'Equal to one of these values.', type: 'array', minItems: 1 },
      not: {
        description: "The value must fail this check: a matcher mapping, or a plain value meaning 'not equal to it'.",
        $ref: '#/$defs/matcherOrValue',
      },
      ignoreCase: { description: 'true: compare strings ignoring case (equals, contains, matches, oneOf).', type: 'boolean' },
    },
    additionalProperties: false,
  },
  idpExpectStep: {
    description: 'Checks on what the IdP did since the previous expect step.',
    type: 'object',
    required: ['expect'],
    properties: { expect: { $ref: '#/$defs/idpExpectation' } },
    additionalProperties: false,
  },
  idpExpectation: {
    description: "What the IdP sent, the target's state, and the IdP's outcomes.",
    type: 'object',
    minProperties: 1,
    properties: {
      sent: {
        description: `The requests the IdP sent, in order: a request line ('GET /Users?filter=userName eq "ada@example.com"') or a partial request to match.`,
        type: 'array',
        items: {
          description: 'A request line, or a partial request { method, path, query, headers, body }.',
          anyOf: [
            { type: 'string', minLength: 1 },
            {
              type: 'object',
              properties: {
                method: { description: 'The HTTP method.', type: 'string' },
                path: {
                  description: "The path relative to the base URL, with or without its query; or a matcher for the path without the query ({ matches: '^/Groups/' }).",
                  anyOf: [{ type: 'string' }, { $ref: '#/$defs/matcher' }],
                },
                query: {
                  description: 'Query parameter name → matcher or plain value, compared with the decoded parameter (a list when it is given more than once).',
                  type: 'object',
                  additionalProperties: { $ref: '#/$defs/matcherOrValue' },
                },
                headers: {
                  description: 'Header name (any case) → matcher or plain value.',
                  type: 'object',
                  additionalProperties: { $ref: '#/$defs/matcherOrValue' },
                },
                body: { description: 'The body, partially matched: a mapping lists the members to check (others may exist), a list must match element for element, and a matcher may stand at any depth ({ contains: … }, { absent: true }).', $ref: '#/$defs/pattern' },
              },
            },
          ],
          errorMessage: 'must be a request line (GET /Users) or a partial request { method, path, query, headers, body }',
        },
      },
      target: {
        description: "The target's state, read back with verification GETs: directory name → attribute path → matcher or plain value.",
        type: 'object',
        additionalProperties: { description: 'Attribute path → matcher or plain value.', type: 'object', additionalProperties: { $ref: '#/$defs/matcherOrValue' } },
      },
      outcome: {
        description: "The IdP's records (task results, provisioning log records and the like), matched in order: a record (each key a matcher or a plain value, matched partially, with matchers at any depth: { message: { contains: Conflict } }), a list of records each matching one reported record, or a string standing for { status: … } (e.g. success).",
      },
    },
    additionalProperties: false,
  },
  idpEventStep: {
    description: 'One IdP event or clock step, `event: argument`: assign: ada, unassign: ada, cycle: initial, advance: 40m. The simulator documents its events.',
    type: 'object',
    minProperties: 1,
    maxProperties: 1,
    propertyNames: { pattern: '^[a-z][A-Za-z0-9-]*$', not: { enum: ['request', 'expect', 'save', 'name', 'ref', 'target'] } },
    errorMessage: 'must be one IdP event, `event: argument` (like assign: ada or advance: 40m)',
  },
};

/** Applies an IdP's own definitions to the scenarios that name it. */
function idpCondition(name: string, idp: IdpDescription): JsonSchema {
  return {
    if: { properties: { idp: { const: name } }, required: ['idp'] },
    then: {
      properties: {
        settings: { $ref: `#/$defs/${name}Settings` },
        covers: { description: `The ${idp.title} capabilities the scenario exercises, as ${idp.title} documents them: one scorecard row each.`, items: { enum: [...idp.capabilities] } },
        directory: { $ref: `#/$defs/${name}Directory` },
        steps: { description: `The steps of an idp: ${name} scenario: ${idp.title} events, expect steps, request steps and target steps.`, items: { $ref: `#/$defs/${name}Step` } },
      },
    },
  };
}

/** An IdP's settings, directory, steps and records, as `$defs` named after it (oktaSettings, oktaEvent…). */
function idpDefinitions(name: string, idp: IdpDescription): Record<string, JsonSchema> {
  const ref = (what: string) => ({ $ref: `#/$defs/${name}${what}` });
  const events = Object.entries(idp.events);
  const status = idp.outcomes.fields.status;
  return {
    [`${name}Settings`]: { description: `The ${idp.title} simulator's knobs (${idp.docs}).`, ...shapeSchema({ type: 'mapping', fields: idp.settings }) },
    [`${name}Directory`]: { description: `The ${idp.title} directory before the scenario starts (${idp.docs}).`, ...shapeSchema({ type: 'mapping', fields: idp.directory }) },
    [`${name}Step`]: {
      description: `A step of an idp: ${name} scenario: a request step, an expect step, a target step, or one ${idp.title} event.`,
      if: { required: ['request'] },
      else: { if: { required: ['expect'] }, then: ref('Expect'), else: { if: { required: ['target'] }, else: ref('Event') } },
    },
    [`${name}Event`]: {
      description: `One ${idp.title} event, \`event: argument\` (${idp.docs}).`,
      type: 'object',
      propertyNames: { enum: events.map(([event]) => event), errorMessage: `is not ${/^[aeiou]/i.test(idp.title) ? 'an' : 'a'} ${idp.title} event (${idp.docs})` },
      properties: Object.fromEntries(
        events.map(([event, { description, argument }]) => {
          const none = argument.type === 'nothing' && { errorMessage: `takes no argument: write "- ${event}:"` };
          return [event, { description, ...shapeSchema(argument), ...none }];
        }),
      ),
    },
    [`${name}Expect`]: {
      description: `Checks on what ${idp.title} did since the previous expect step.`,
      properties: {
        expect: {
          description: `What ${idp.title} sent, the target's state, and ${idp.title}'s records.`,
          properties: {
            outcome: { description: `${idp.title}'s records, matched in order: a record, a list of records, or a status.`, anyOf: [ref('Record'), { type: 'array', items: ref('Record') }] },
          },
        },
      },
    },
    [`${name}Record`]: {
      description: idp.outcomes.description,
      anyOf: [
        ...(status ? [{ ...shapeSchema(status.shape), description: `Stands for { status: … }: ${status.description}` }] : []),
        {
          type: 'object',
          properties: Object.fromEntries(Object.entries(idp.outcomes.fields).map(([key, field]) => [key, { description: fieldDescription(field), ...patternSchema(field.shape) }])),
          additionalProperties: false,
        },
      ],
    },
  };
}

/** A field's words, with its default when the words do not give it. */
function fieldDescription(field: Field): string {
  if (field.default === undefined || /\bdefault\b/i.test(field.description)) return field.description;
  return `${field.description} Default: ${JSON.stringify(field.default)}.`;
}

function fieldSchema(field: Field, pattern: boolean): JsonSchema {
  return { description: fieldDescription(field), ...(pattern ? patternSchema(field.shape) : shapeSchema(field.shape)), ...(field.default !== undefined && { default: field.default }) };
}

/** A value of an expected outcome record: of the shape, or a matcher, and so at any depth (harness/steps/pattern.ts). */
function patternSchema(shape: Shape): JsonSchema {
  if (shape.type === 'any') return { $ref: '#/$defs/pattern' };
  return { anyOf: [shapeSchema(shape, true), { $ref: '#/$defs/matcher' }] };
}

/** A shape (idp-description.ts) in JSON Schema; in a `pattern`, nothing is required and a matcher may stand anywhere. */
function shapeSchema(shape: Shape, pattern = false): JsonSchema {
  switch (shape.type) {
    case 'boolean':
      return { type: 'boolean' };
    case 'text':
      return {
        type: 'string',
        ...(!shape.empty && { minLength: 1 }),
        ...(shape.pattern !== undefined && { pattern: shape.pattern }),
        ...(shape.format !== undefined && { errorMessage: `must be ${shape.format}` }),
      };
    case 'number': {
      const { integer, minimum, exclusiveMinimum, exclusiveMaximum } = shape;
      return { type: integer ? 'integer' : 'number', ...(minimum !== undefined && { minimum }), ...(exclusiveMinimum !== undefined && { exclusiveMinimum }), ...(exclusiveMaximum !== undefined && { exclusiveMaximum }) };
    }
    case 'enum':
      return { enum: [...shape.values] };
    case 'name':
      return { type: 'string', minLength: 1 };
    case 'null':
      return { type: 'null' };
    case 'list':
      return { type: 'array', items: pattern ? patternSchema(shape.items) : shapeSchema(shape.items) };
    case 'mapping': {
      const fields = Object.entries(shape.fields ?? {});
      const required = pattern ? [] : fields.filter(([, field]) => field.required).map(([key]) => key);
      const together = pattern ? [] : fields.filter(([, field]) => field.with !== undefined).map(([key, field]) => [key, [field.with!]]);
      return {
        type: 'object',
        ...(fields.length > 0 && { properties: Object.fromEntries(fields.map(([key, field]) => [key, fieldSchema(field, pattern)])) }),
        ...(required.length > 0 && { required }),
        additionalProperties: shape.others ? (pattern ? patternSchema(shape.others) : shapeSchema(shape.others)) : false,
        ...(shape.nonEmpty && { minProperties: 1 }),
        ...(shape.exactlyOne && !pattern && { oneOf: shape.exactlyOne.map((key) => ({ required: [key] })) }),
        ...(together.length > 0 && { dependentRequired: Object.fromEntries(together) }),
        ...(shape.reserved && { propertyNames: { not: { enum: Object.keys(shape.reserved) } } }),
      };
    }
    case 'either':
      return { anyOf: shape.shapes.map((branch) => shapeSchema(branch, pattern)), errorMessage: `must be ${shapeWords(shape)}` };
    case 'any':
      return {};
    case 'nothing':
      return { anyOf: [{ type: 'null' }, { const: true }, { type: 'object', maxProperties: 0 }] };
  }
}

/** The editor schema's file text: scenarios/scenario.schema.json. */
export function editorSchemaText(idps: IdpDescriptions): string {
  return `${JSON.stringify(scenarioSchema(idps, { perIdp: true }), null, 2)}\n`;
}
