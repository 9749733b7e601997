/**
 * JSON Schemas (draft 2020-12) of the SCIM messages of RFC 7644 and of resources, for the harness to
 * check what a server answers and what an IdP sends. Compile them with ajv's `Ajv2020` and
 * ajv-formats; they are clean under `strict: true` with `strictRequired: false` (the default), as
 * conditional `required` lists name members defined one level up. Optional values may be `null`
 * (ajv's `nullable`): RFC 7643 §2.5 makes null the same as unassigned.
 *
 * Member names are matched case-sensitively, unlike SCIM attribute names (RFC 7643 §2.1). That is
 * deliberate for responses: a server should echo the names as its schemas spell them, and a
 * `Username` that the schema does not check is itself worth reporting.
 */
import { BASE64_PATTERN } from '../coerce.js';
import { topLevelAttributes } from '../schema/attributes.js';
import type { ResourceModel } from '../schema/model.js';
import type { AttributeDefinition } from '../schema/types.js';
import { URN } from '../schema/urns.js';

export type JsonSchema = Record<string, unknown>;

const DIALECT = 'https://json-schema.org/draft/2020-12/schema';

/** An HTTP status code as a JSON string (RFC 7644 §3.12: "expressed as a JSON string"). */
const STATUS = { type: 'string', pattern: '^[1-5][0-9]{2}$' };

/** A status outside 2xx, for the conditions of bulk responses. */
const FAILED = { type: 'string', not: { type: 'string', pattern: '^2' } };

function schemasListing(urn: string): JsonSchema {
  return { type: 'array', items: { type: 'string' }, minItems: 1, contains: { const: urn } };
}

const STRING_LIST = { type: 'array', items: { type: 'string' } };

/** The error types of RFC 7644 §3.12, Table 9. */
const SCIM_TYPES = [
  'invalidFilter',
  'tooMany',
  'uniqueness',
  'mutability',
  'invalidSyntax',
  'invalidPath',
  'noTarget',
  'invalidValue',
  'invalidVers',
  'sensitive',
];

const ERROR_BODY: JsonSchema = {
  type: 'object',
  required: ['schemas', 'status'],
  properties: {
    schemas: schemasListing(URN.error),
    // Many servers send a number; the RFC asks for a string, and the harness reports the difference.
    status: STATUS,
    scimType: { enum: SCIM_TYPES },
    detail: { type: 'string' },
  },
};

/** RFC 7644 §3.12 error response. */
export const ERROR_JSON_SCHEMA: JsonSchema = { $schema: DIALECT, title: 'Error', ...ERROR_BODY };

/** RFC 7644 §3.4.2 query response. */
export const LIST_RESPONSE_JSON_SCHEMA: JsonSchema = {
  $schema: DIALECT,
  title: 'ListResponse',
  type: 'object',
  required: ['schemas', 'totalResults'],
  properties: {
    schemas: schemasListing(URN.listResponse),
    totalResults: { type: 'integer', minimum: 0 },
    Resources: { type: 'array', items: { type: 'object' } },
    startIndex: { type: 'integer', minimum: 1 },
    itemsPerPage: { type: 'integer', minimum: 0 },
  },
  // "Resources ... REQUIRED if totalResults is non-zero."
  if: { properties: { totalResults: { type: 'integer', exclusiveMinimum: 0 } }, required: ['totalResults'] },
  then: { required: ['Resources'] },
};

const PATCH_BODY: JsonSchema = {
  type: 'object',
  required: ['schemas', 'Operations'],
  properties: {
    schemas: schemasListing(URN.patchOp),
    Operations: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['op'],
        // Exactly as RFC 7644 §3.5.2 spells them; Entra's `Replace` is what the harness must catch.
        properties: { op: { enum: ['add', 'remove', 'replace'] }, path: { type: 'string', minLength: 1 }, value: {} },
        allOf: [
          // §3.5.2.2: remove without a path is 400 noTarget.
          { if: { properties: { op: { const: 'remove' } }, required: ['op'] }, then: { required: ['path'] } },
          // §3.5.2.1, §3.5.2.3: add and replace carry a value ...
          { if: { properties: { op: { enum: ['add', 'replace'] } }, required: ['op'] }, then: { required: ['value'] } },
          // ... which, without a path, is an object of attributes.
          {
            if: { properties: { op: { enum: ['add', 'replace'] } }, required: ['op'], not: { required: ['path'] } },
            then: { properties: { value: { type: 'object' } } },
          },
        ],
      },
    },
  },
};

/** RFC 7644 §3.5.2 PATCH request body. */
export const PATCH_OP_JSON_SCHEMA: JsonSchema = { $schema: DIALECT, title: 'PatchOp', ...PATCH_BODY };

/** RFC 7644 §3.4.3 query by POST to `.search`. */
export const SEARCH_REQUEST_JSON_SCHEMA: JsonSchema = {
  $schema: DIALECT,
  title: 'SearchRequest',
  type: 'object',
  required: ['schemas'],
  properties: {
    schemas: schemasListing(URN.searchRequest),
    attributes: STRING_LIST,
    excludedAttributes: STRING_LIST,
    filter: { type: 'string' },
    sortBy: { type: 'string' },
    sortOrder: { enum: ['ascending', 'descending'] },
    // Out-of-range values are not errors: below 1 reads as 1, a negative count as 0 (§3.4.2.4).
    startIndex: { type: 'integer' },
    count: { type: 'integer' },
  },
};

const METHOD = { enum: ['POST', 'PUT', 'PATCH', 'DELETE'] };

/** RFC 7644 §3.7 bulk request. */
export const BULK_REQUEST_JSON_SCHEMA: JsonSchema = {
  $schema: DIALECT,
  title: 'BulkRequest',
  type: 'object',
  required: ['schemas', 'Operations'],
  properties: {
    schemas: schemasListing(URN.bulkRequest),
    failOnErrors: { type: 'integer', minimum: 0 },
    Operations: {
      type: 'array',
      items: {
        type: 'object',
        required: ['method', 'path'],
        properties: { method: METHOD, bulkId: { type: 'string' }, version: { type: 'string' }, path: { type: 'string' }, data: {} },
        allOf: [
          { if: { properties: { method: { const: 'POST' } }, required: ['method'] }, then: { required: ['bulkId'] } },
          {
            if: { properties: { method: { enum: ['POST', 'PUT', 'PATCH'] } }, required: ['method'] },
            then: { required: ['data'], properties: { data: { type: 'object' } } },
          },
          { if: { properties: { method: { const: 'PATCH' } }, required: ['method'] }, then: { properties: { data: PATCH_BODY } } },
        ],
      },
    },
  },
};

/** RFC 7644 §3.7 bulk response. */
export const BULK_RESPONSE_JSON_SCHEMA: JsonSchema = {
  $schema: DIALECT,
  title: 'BulkResponse',
  type: 'object',
  required: ['schemas', 'Operations'],
  properties: {
    schemas: schemasListing(URN.bulkResponse),
    Operations: {
      type: 'array',
      items: {
        type: 'object',
        required: ['method', 'status'],
        properties: {
          method: METHOD,
          bulkId: { type: 'string' },
          version: { type: 'string' },
          location: { type: 'string' },
          status: STATUS,
          response: { type: 'object' },
        },
        allOf: [
          // "location ... REQUIRED in a response, except in the event of a POST failure."
          {
            if: { properties: { method: { const: 'POST' }, status: FAILED }, required: ['method', 'status'] },
            else: { required: ['location'] },
          },
          // A status other than 2xx comes with the error body (§3.7.3).
          {
            if: { properties: { status: FAILED }, required: ['status'] },
            then: { required: ['response'], properties: { response: ERROR_BODY } },
          },
        ],
      },
    },
  },
};

/** The message schemas by the URN a message lists in `schemas`. */
export const MESSAGE_JSON_SCHEMAS: Readonly<Record<string, JsonSchema>> = {
  [URN.listResponse]: LIST_RESPONSE_JSON_SCHEMA,
  [URN.error]: ERROR_JSON_SCHEMA,
  [URN.patchOp]: PATCH_OP_JSON_SCHEMA,
  [URN.searchRequest]: SEARCH_REQUEST_JSON_SCHEMA,
  [URN.bulkRequest]: BULK_REQUEST_JSON_SCHEMA,
  [URN.bulkResponse]: BULK_RESPONSE_JSON_SCHEMA,
};

/** RFC 7643 §2.3 data types as JSON Schema; canonicalValues are suggestions (§7), so no `enum`. */
function valueSchema(attribute: AttributeDefinition): JsonSchema {
  switch (attribute.type) {
    case 'string':
    case 'reference':
      return { type: 'string' };
    case 'boolean':
      return { type: 'boolean' };
    case 'decimal':
      return { type: 'number' };
    case 'integer':
      return { type: 'integer' };
    case 'dateTime':
      return { type: 'string', format: 'date-time' };
    case 'binary':
      return { type: 'string', pattern: BASE64_PATTERN };
    case 'complex':
      return objectSchema(attribute.subAttributes ?? []);
  }
}

function attributeSchema(attribute: AttributeDefinition): JsonSchema {
  const schema = attribute.multiValued ? { type: 'array', items: valueSchema(attribute) } : valueSchema(attribute);
  return attribute.required ? schema : { ...schema, nullable: true };
}

function objectSchema(attributes: readonly AttributeDefinition[], alsoRequired: string[] = []): JsonSchema {
  const properties: JsonSchema = {};
  for (const attribute of attributes) properties[attribute.name] = attributeSchema(attribute);
  const required = [...new Set([...alsoRequired, ...attributes.filter((a) => a.required).map((a) => a.name)])];
  return { type: 'object', properties, ...(required.length > 0 && { required }) };
}

/**
 * The JSON Schema of a full representation of a resource of `model`'s type, as a server returns it:
 * `schemas` listing the core schema, `id`, every required attribute, and each extension as an
 * object under its URN (required when the resource type requires the extension). Attributes the
 * schemas do not define are allowed. It fits responses without `attributes`/`excludedAttributes`;
 * that `returned: "never"` attributes are absent is for the harness to check, not this schema.
 */
export function resourceJsonSchema(model: ResourceModel): JsonSchema {
  const top = objectSchema(topLevelAttributes(model), ['schemas', 'id']);
  const properties = top.properties as JsonSchema;
  const required = top.required as string[];
  properties.schemas = schemasListing(model.core.id);
  for (const extension of model.extensions) {
    const schema = objectSchema(extension.attributes);
    if (model.isRequiredExtension(extension.id)) {
      properties[extension.id] = schema;
      required.push(extension.id);
    } else {
      properties[extension.id] = { ...schema, nullable: true };
    }
  }
  return { $schema: DIALECT, title: model.resourceType.name, ...top };
}
