import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import {
  BULK_RESPONSE_JSON_SCHEMA,
  ERROR_JSON_SCHEMA,
  LIST_RESPONSE_JSON_SCHEMA,
  resourceJsonSchema,
  type JsonSchema,
} from '../../scim/messages/json-schemas.js';
import { CORE_SCHEMAS, groupModel, userModel } from '../../scim/schema/index.js';
import { ResourceModel } from '../../scim/schema/model.js';
import { URN } from '../../scim/schema/urns.js';
import type { SchemaName } from '../types.js';

const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

/** A discovery resource (§5–§7 of RFC 7643) as a resource type of its own, to reuse `resourceJsonSchema`. */
function discoveryModel(name: string, schema: string): ResourceModel {
  return new ResourceModel({ id: name, name, endpoint: `/${name}s`, description: name, schema, schemaExtensions: [] }, CORE_SCHEMAS);
}

/** RFC 7643 §5: "the id attribute is not required for the service provider configuration resource"; §6 makes a resource type's id OPTIONAL. */
function idOptional(schema: JsonSchema): JsonSchema {
  return { ...schema, required: (schema.required as string[]).filter((name) => name !== 'id') };
}

/**
 * RFC 7643 §5 marks bulk's `maxOperations` and `maxPayloadSize` REQUIRED, but a provider that says
 * `bulk.supported: false` has no limits to state, and real ones leave them out: they are checked
 * only when bulk is supported, so that a configuration without Bulk is not failed for its silence.
 */
function bulkLimitsWhenSupported(schema: JsonSchema): JsonSchema {
  const properties = schema.properties as Record<string, JsonSchema>;
  const bulk = properties.bulk!;
  const limits = ['maxOperations', 'maxPayloadSize'];
  const required = (bulk.required as string[]).filter((name) => !limits.includes(name));
  const conditional = { ...bulk, required, if: { properties: { supported: { const: true } }, required: ['supported'] }, then: { required: limits } };
  return { ...schema, properties: { ...properties, bulk: conditional } };
}

const SCHEMAS: Record<SchemaName, () => JsonSchema> = {
  User: () => resourceJsonSchema(userModel),
  Group: () => resourceJsonSchema(groupModel),
  ListResponse: () => LIST_RESPONSE_JSON_SCHEMA,
  Error: () => ERROR_JSON_SCHEMA,
  BulkResponse: () => BULK_RESPONSE_JSON_SCHEMA,
  ServiceProviderConfig: () => bulkLimitsWhenSupported(idOptional(resourceJsonSchema(discoveryModel('ServiceProviderConfig', URN.serviceProviderConfig)))),
  ResourceType: () => idOptional(resourceJsonSchema(discoveryModel('ResourceType', URN.resourceType))),
  Schema: () => resourceJsonSchema(discoveryModel('Schema', URN.schema)),
};

export const SCHEMA_NAMES = Object.keys(SCHEMAS) as SchemaName[];

// One ajv and one compilation per schema for the whole process: compiling is the slow part.
// `verbose` puts the parent schema in each error, to name what a `contains` wanted.
const ajv = new Ajv2020({ strict: true, strictRequired: false, allErrors: true, verbose: true });
addFormats(ajv);
const compiled = new Map<SchemaName, ValidateFunction>();

function validator(name: SchemaName): ValidateFunction {
  let validate = compiled.get(name);
  if (!validate) {
    validate = ajv.compile(SCHEMAS[name]());
    compiled.set(name, validate);
  }
  return validate;
}

/** Errors shown in a message; the rest are counted. */
const SHOWN_ERRORS = 5;

/** One ajv error in words: `/emails/0/primary must be boolean`. */
function describe(error: ErrorObject): string {
  const where = error.instancePath === '' ? 'the body' : error.instancePath;
  const params = error.params as { allowedValues?: unknown[]; allowedValue?: unknown };
  let detail = '';
  if (error.keyword === 'enum' && params.allowedValues) detail = ` (${params.allowedValues.map((v) => JSON.stringify(v)).join(', ')})`;
  if (error.keyword === 'const') detail = ` (${JSON.stringify(params.allowedValue)})`;
  const wanted = (error.parentSchema as { contains?: { const?: unknown } } | undefined)?.contains?.const;
  if (error.keyword === 'contains' && wanted !== undefined) return `${where} must contain ${JSON.stringify(wanted)}`;
  return `${where} ${error.message ?? 'is invalid'}${detail}`;
}

export interface SchemaOutcome {
  passed: boolean;
  message: string;
  /** Each error in words. */
  errors: string[];
}

/** Validates a JSON body against a SCIM message type's JSON Schema. */
export function checkSchema(body: unknown, name: SchemaName): SchemaOutcome {
  const validate = validator(name);
  if (validate(body)) return { passed: true, message: `the body matches the ${name} schema`, errors: [] };
  // An `if` error only restates the `then` error next to it, and the items that failed a `contains` only restate it.
  const relevant = (validate.errors ?? []).filter((e) => e.keyword !== 'if' && !e.schemaPath.includes('/contains/'));
  const errors = [...new Set(relevant.map(describe))];
  const more = errors.length > SHOWN_ERRORS ? `; and ${errors.length - SHOWN_ERRORS} more` : '';
  return { passed: false, message: `body does not match the ${name} schema: ${errors.slice(0, SHOWN_ERRORS).join('; ')}${more}`, errors };
}
