import { COMMON_ATTRIBUTES } from './common.js';
import type { ResourceModel } from './model.js';
import type { AttributeDefinition } from './types.js';

const TOP_LEVEL = new WeakMap<ResourceModel, readonly AttributeDefinition[]>();

/**
 * The top-level attributes a resource keeps outside extension objects: the common attributes,
 * then the core schema's. A core attribute named like a common one (the `id` that the ResourceType
 * and Schema schemas list) is shadowed by it, as in `ResourceModel.resolve`. Computed once per
 * model: validation and projection ask for it on every request.
 */
export function topLevelAttributes(model: ResourceModel): readonly AttributeDefinition[] {
  let attributes = TOP_LEVEL.get(model);
  if (!attributes) {
    const common = new Set(COMMON_ATTRIBUTES.map((a) => a.name.toLowerCase()));
    attributes = [...COMMON_ATTRIBUTES, ...model.core.attributes.filter((a) => !common.has(a.name.toLowerCase()))];
    TOP_LEVEL.set(model, attributes);
  }
  return attributes;
}

const BY_NAME = new WeakMap<readonly AttributeDefinition[], ReadonlyMap<string, AttributeDefinition>>();

/** The definition in `definitions` named `name` ignoring case (RFC 7643 §2.1), from an index built once per list. */
export function definitionNamed(definitions: readonly AttributeDefinition[], name: string): AttributeDefinition | undefined {
  let index = BY_NAME.get(definitions);
  if (!index) {
    const built = new Map<string, AttributeDefinition>();
    for (const definition of definitions) {
      const lower = definition.name.toLowerCase();
      if (!built.has(lower)) built.set(lower, definition);
    }
    BY_NAME.set(definitions, (index = built));
  }
  return index.get(name.toLowerCase());
}
