/**
 * Profiles: one YAML file describing a SCIM target, what it supports and how it behaves
 * (docs/profiles.md). Pure: the format, its reader and JSON Schema, `extends` resolution over a
 * lookup the caller gives, and the SCIM rules a profile adds. Files are read by the caller.
 */
export {
  ATTRIBUTE_OPERATORS,
  AUTH_FORMS,
  ENDPOINT_METHODS,
  ENDPOINTS,
  FILTER_OPERATORS,
  LIST_PARAMETERS,
  META_MEMBERS,
  PATCH_OPS,
  PROFILE_SPEC,
  RESOURCE_TYPES,
  SUPPORT_FEATURES,
  VALUE_KINDS,
  type Answer,
  type AttributeOperator,
  type AuthForm,
  type Endpoint,
  type ErrorAnswer,
  type FilterOperator,
  type ListParameter,
  type MetaMember,
  type PatchOp,
  type PatchPaths,
  type PatchValues,
  type Profile,
  type ProfileDocument,
  type ProfileMethod,
  type ProfileResourceType,
  type SupportFeature,
  type Team,
  type TeamAccount,
  type ValueKind,
} from './fields.js';
export { declaredSchemas, dropUnstored, isPartlyStored, isUnstored, unknownAttributeNames, type DeclaredSchemas } from './attributes.js';
export { assertFilterAttributes, assertFilterOperators, refusedFilterAttribute } from './filter.js';
export { refusedShape, rulePatch, type PatchRules, type RuledPatch } from './patch.js';
export { kindsOf, shapeMessage, shapeRefusal, shapeWords, valueKindProblems, type ShapeRefusal } from './patch-values.js';
export { rulePut, type PutRules } from './put.js';
export { DEFAULT_PROFILE, overlayProfile, overMembers, ProfileError, readProfile, resolveProfile, supportsOf, type ProfileLookup, type ProfileSource } from './resolve.js';
export { describeSpec, formatPath, readSpec, specJsonSchema, type Spec, type SpecProblem } from './spec.js';

import { PROFILE_SPEC } from './fields.js';
import { specJsonSchema } from './spec.js';

/** The editor's JSON Schema of a profile file (profiles/profile.schema.json is written from it). */
export function profileJsonSchema(): Record<string, unknown> {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'scimulator profile',
    ...specJsonSchema(PROFILE_SPEC),
  };
}
