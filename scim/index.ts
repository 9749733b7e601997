/**
 * scimulator's SCIM protocol core: pure functions over plain JSON, no I/O. The reference server
 * and the harness are both built on it.
 */
export { COMPAT_OPTIONS, LENIENT, STRICT, StrictRefusal, type Compat, type CompatOption } from './compat.js';
export { ERROR_SCHEMA, isScimError, ScimError, type ScimErrorBody, type ScimType } from './errors.js';
export { assertKnownFilterPaths, unknownFilterPaths } from './filter/check.js';
export { matchesFilter, matchesValueFilter } from './filter/evaluate.js';
export { formatFilter, parseFilter } from './filter/parse.js';
export type { CompareOperator, Filter, FilterValue } from './filter/types.js';
export {
  BULK_REQUEST_JSON_SCHEMA,
  BULK_RESPONSE_JSON_SCHEMA,
  ERROR_JSON_SCHEMA,
  LIST_RESPONSE_JSON_SCHEMA,
  MESSAGE_JSON_SCHEMAS,
  PATCH_OP_JSON_SCHEMA,
  resourceJsonSchema,
  SEARCH_REQUEST_JSON_SCHEMA,
  type JsonSchema,
} from './messages/json-schemas.js';
export { applyPatch, type PatchOptions } from './patch/apply.js';
export { formatAttrPath, formatPatchPath, parseAttrPath, parsePatchPath } from './path/parse.js';
export type { AttrPath, PatchPath } from './path/types.js';
export { project, type ProjectionRequest } from './projection.js';
export * from './schema/index.js';
export { cloneJson, findKey, getKey, isObject, setKey, type JsonObject } from './schema/keys.js';
export { ResourceModel, type ResolvedAttribute } from './schema/model.js';
export type { AttributeDefinition, ResourceTypeDefinition, SchemaDefinition, ScimResource } from './schema/types.js';
export { URN } from './schema/urns.js';
export { compareSortKeys, readSortOrder, sortComparator, sortKeyReader, type SortKey, type SortOrder } from './sort.js';
export { validateResource, type ValidateOptions } from './validate.js';
export { jsonEqual, sameElement } from './values/equal.js';
