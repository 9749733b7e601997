import { declaredSchemas } from '../../scim/profile/attributes.js';
import type { Profile } from '../../scim/profile/fields.js';
import { CORE_SCHEMAS, GROUP_RESOURCE_TYPE, GROUP_SCHEMA, groupModel, USER_RESOURCE_TYPE, userModel } from '../../scim/schema/index.js';
import { ResourceModel } from '../../scim/schema/model.js';
import type { ResourceTypeDefinition, SchemaDefinition } from '../../scim/schema/types.js';
import { URN } from '../../scim/schema/urns.js';
import type { ResourceTypeName } from '../store/types.js';

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

/** What a server with `profile` declares: its stored attributes and caseExact (scim/profile/attributes.ts), and the models built of them. */
export function servedSchemas(profile: Pick<Profile, 'attributes' | 'filter'>): ServedSchemas {
  const declared = declaredSchemas(profile, DEFAULT_SCHEMAS);
  if (!declared) return DEFAULT_SCHEMAS;
  const [userType, groupType] = declared.resourceTypes as [ResourceTypeDefinition, ResourceTypeDefinition];
  const sameGroup = declared.schemas.find((s) => s.id === URN.group) === GROUP_SCHEMA;
  return {
    schemas: declared.schemas,
    resourceTypes: declared.resourceTypes,
    models: {
      User: new ResourceModel(userType, declared.schemas),
      Group: sameGroup ? groupModel : new ResourceModel(groupType, declared.schemas),
    },
  };
}
