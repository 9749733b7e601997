import { CORE_SCHEMAS, GROUP_RESOURCE_TYPE, groupModel, USER_RESOURCE_TYPE, USER_SCHEMA, userModel } from '../../scim/schema/index.js';
import { ResourceModel } from '../../scim/schema/model.js';
import type { ResourceTypeDefinition, SchemaDefinition } from '../../scim/schema/types.js';
import { URN } from '../../scim/schema/urns.js';
import type { ResourceTypeName } from '../store/types.js';
import type { Variation } from '../variations.js';

/**
 * What one server declares in /Schemas and /ResourceTypes, and the models built from it that
 * validation, PATCH, filters and rendering use: a server refuses, and never returns, what it does
 * not declare.
 */
export interface ServedSchemas {
  schemas: readonly SchemaDefinition[];
  resourceTypes: readonly ResourceTypeDefinition[];
  models: Readonly<Record<ResourceTypeName, ResourceModel>>;
}

/** RFC 7643 in full: the default server's. The shared models keep their per-model caches warm. */
export const DEFAULT_SCHEMAS: ServedSchemas = {
  schemas: CORE_SCHEMAS,
  resourceTypes: [USER_RESOURCE_TYPE, GROUP_RESOURCE_TYPE],
  models: { User: userModel, Group: groupModel },
};

/** The User attributes of `minimal-user-schema`: the required userName, what IdPs map first, and the computed groups. */
const MINIMAL_USER_ATTRIBUTES = new Set(['userName', 'displayName', 'emails', 'active', 'groups']);

export function servedSchemas(variations: ReadonlySet<Variation>): ServedSchemas {
  const minimal = variations.has('minimal-user-schema');
  const noGroups = variations.has('no-user-groups');
  if (!minimal && !noGroups) return DEFAULT_SCHEMAS;
  const kept = USER_SCHEMA.attributes.filter((a) => (!minimal || MINIMAL_USER_ATTRIBUTES.has(a.name)) && !(noGroups && a.name === 'groups'));
  const user: SchemaDefinition = { ...USER_SCHEMA, attributes: kept };
  const userType: ResourceTypeDefinition = { ...USER_RESOURCE_TYPE, schemaExtensions: minimal ? [] : USER_RESOURCE_TYPE.schemaExtensions };
  const schemas = CORE_SCHEMAS.map((s) => (s.id === URN.user ? user : s)).filter((s) => !(minimal && s.id === URN.enterpriseUser));
  return {
    schemas,
    resourceTypes: [userType, GROUP_RESOURCE_TYPE],
    models: { User: new ResourceModel(userType, schemas), Group: groupModel },
  };
}
