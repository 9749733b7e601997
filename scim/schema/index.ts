import { ENTERPRISE_USER_SCHEMA } from './enterprise-user.js';
import { GROUP_SCHEMA } from './group.js';
import { ResourceModel } from './model.js';
import { RESOURCE_TYPE_SCHEMA } from './resource-type.js';
import { SCHEMA_SCHEMA } from './schema-schema.js';
import { SERVICE_PROVIDER_CONFIG_SCHEMA } from './service-provider-config.js';
import type { ResourceTypeDefinition, SchemaDefinition } from './types.js';
import { URN } from './urns.js';
import { USER_SCHEMA } from './user.js';

export { ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, RESOURCE_TYPE_SCHEMA, SCHEMA_SCHEMA, SERVICE_PROVIDER_CONFIG_SCHEMA, USER_SCHEMA };

/** Every schema of RFC 7643: the resource schemas of §8.7.1, then the service provider schemas of §8.7.2. */
export const CORE_SCHEMAS: readonly SchemaDefinition[] = [
  USER_SCHEMA,
  GROUP_SCHEMA,
  ENTERPRISE_USER_SCHEMA,
  SERVICE_PROVIDER_CONFIG_SCHEMA,
  RESOURCE_TYPE_SCHEMA,
  SCHEMA_SCHEMA,
];

/**
 * The User resource type of RFC 7643 §8.6, except that the Enterprise User extension is optional:
 * IdPs create users without it (the §8.6 example's `required: true` is only an example).
 */
export const USER_RESOURCE_TYPE: ResourceTypeDefinition = {
  id: 'User',
  name: 'User',
  endpoint: '/Users',
  description: 'User Account',
  schema: URN.user,
  schemaExtensions: [{ schema: URN.enterpriseUser, required: false }],
};

/** The Group resource type of RFC 7643 §8.6. */
export const GROUP_RESOURCE_TYPE: ResourceTypeDefinition = {
  id: 'Group',
  name: 'Group',
  endpoint: '/Groups',
  description: 'Group',
  schema: URN.group,
  schemaExtensions: [],
};

export const userModel = new ResourceModel(USER_RESOURCE_TYPE, CORE_SCHEMAS);
export const groupModel = new ResourceModel(GROUP_RESOURCE_TYPE, CORE_SCHEMAS);
