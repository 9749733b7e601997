import type { AttrPath } from '../path/types.js';
import { COMMON_ATTRIBUTES } from './common.js';
import { findKey, getKey, isObject, type JsonObject } from './keys.js';
import type { AttributeDefinition, ResourceTypeDefinition, SchemaDefinition } from './types.js';

/** Where an attribute path points, in the schemas of one resource type. */
export interface ResolvedAttribute {
  /** The URN of the schema that defines the attribute; undefined for the common attributes (id, externalId, meta). */
  schema: string | undefined;
  /** True when the attribute's values live in the resource under its extension's URN key. */
  inExtension: boolean;
  attribute: AttributeDefinition;
  subAttribute?: AttributeDefinition;
  /** True when the path names a whole extension (`urn:…:enterprise:2.0:User`): `attribute` is then a complex stand-in for it. */
  wholeExtension?: boolean;
}

function findByName(list: readonly AttributeDefinition[] | undefined, name: string): AttributeDefinition | undefined {
  if (!list) return undefined;
  const lower = name.toLowerCase();
  return list.find((a) => a.name.toLowerCase() === lower);
}

/**
 * One resource type with its core schema and extensions: resolves attribute paths to their
 * definitions, case-insensitively, and finds where a resource keeps an attribute's value.
 */
export class ResourceModel {
  readonly resourceType: ResourceTypeDefinition;
  readonly core: SchemaDefinition;
  readonly extensions: SchemaDefinition[];

  constructor(resourceType: ResourceTypeDefinition, schemas: readonly SchemaDefinition[]) {
    const byId = (id: string): SchemaDefinition => {
      const found = schemas.find((s) => s.id.toLowerCase() === id.toLowerCase());
      if (!found) throw new Error(`schema ${id} of resource type ${resourceType.name} is not defined`);
      return found;
    };
    this.resourceType = resourceType;
    this.core = byId(resourceType.schema);
    this.extensions = resourceType.schemaExtensions.map((e) => byId(e.schema));
  }

  /** The core schema URN followed by the extension URNs. */
  get schemaIds(): string[] {
    return [this.core.id, ...this.extensions.map((e) => e.id)];
  }

  /** The extension schema with this URN (case-insensitive), if the resource type has it. */
  extension(urn: string): SchemaDefinition | undefined {
    const lower = urn.toLowerCase();
    return this.extensions.find((e) => e.id.toLowerCase() === lower);
  }

  isRequiredExtension(urn: string): boolean {
    const lower = urn.toLowerCase();
    return this.resourceType.schemaExtensions.some((e) => e.required && e.schema.toLowerCase() === lower);
  }

  /** Resolves `path` to its definition; undefined when no schema of this resource type defines it. */
  resolve(path: AttrPath): ResolvedAttribute | undefined {
    if (path.uri !== undefined) {
      const whole = this.extension(`${path.uri}:${path.attr}`);
      if (whole) {
        const stand: AttributeDefinition = {
          name: whole.id,
          type: 'complex',
          multiValued: false,
          description: whole.description,
          required: this.isRequiredExtension(whole.id),
          caseExact: false,
          mutability: 'readWrite',
          returned: 'default',
          uniqueness: 'none',
          subAttributes: whole.attributes,
        };
        return this.withSub({ schema: whole.id, inExtension: true, attribute: stand, wholeExtension: true }, path.subAttr);
      }
      const ext = this.extension(path.uri);
      if (ext) {
        const attribute = findByName(ext.attributes, path.attr);
        return attribute && this.withSub({ schema: ext.id, inExtension: true, attribute }, path.subAttr);
      }
      if (path.uri.toLowerCase() !== this.core.id.toLowerCase()) return undefined;
    }
    const common = findByName(COMMON_ATTRIBUTES, path.attr);
    if (common) return this.withSub({ schema: undefined, inExtension: false, attribute: common }, path.subAttr);
    const attribute = findByName(this.core.attributes, path.attr);
    return attribute && this.withSub({ schema: this.core.id, inExtension: false, attribute }, path.subAttr);
  }

  private withSub(resolved: ResolvedAttribute, subAttr: string | undefined): ResolvedAttribute | undefined {
    if (subAttr === undefined) return resolved;
    const subAttribute = findByName(resolved.attribute.subAttributes, subAttr);
    return subAttribute && { ...resolved, subAttribute };
  }

  /**
   * The object in `resource` that holds the attributes of `resolved`'s schema: the resource itself
   * for core and common attributes, the extension object for extension attributes (undefined when absent).
   */
  container(resource: JsonObject, resolved: ResolvedAttribute): JsonObject | undefined {
    if (!resolved.inExtension || resolved.wholeExtension) return resource;
    const ext = getKey(resource, resolved.schema!);
    return isObject(ext) ? ext : undefined;
  }

  /** The value of the top-level attribute of `resolved` in `resource` (ignoring `subAttribute`). */
  read(resource: JsonObject, resolved: ResolvedAttribute): unknown {
    const holder = this.container(resource, resolved);
    if (!holder) return undefined;
    const key = findKey(holder, resolved.attribute.name);
    return key === undefined ? undefined : holder[key];
  }
}
