import { COMMON_ATTRIBUTES } from './common.js';
import type { ResourceModel } from './model.js';
import type { AttributeDefinition } from './types.js';

/**
 * The top-level attributes a resource keeps outside extension objects: the common attributes,
 * then the core schema's. A core attribute named like a common one (the `id` that the ResourceType
 * and Schema schemas list) is shadowed by it, as in `ResourceModel.resolve`.
 */
export function topLevelAttributes(model: ResourceModel): AttributeDefinition[] {
  const common = new Set(COMMON_ATTRIBUTES.map((a) => a.name.toLowerCase()));
  return [...COMMON_ATTRIBUTES, ...model.core.attributes.filter((a) => !common.has(a.name.toLowerCase()))];
}
