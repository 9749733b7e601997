import { ScimError } from '../errors.js';
import type { ResourceModel } from '../schema/model.js';
import type { AttributeDefinition } from '../schema/types.js';
import { formatAttrPath } from './lex.js';
import type { AttrPath, Filter } from './types.js';

function isSchemas(path: AttrPath): boolean {
  return path.uri === undefined && path.subAttr === undefined && path.attr.toLowerCase() === 'schemas';
}

function hasSub(attribute: AttributeDefinition, name: string): boolean {
  const lower = name.toLowerCase();
  return (attribute.subAttributes ?? []).some((s) => s.name.toLowerCase() === lower);
}

/**
 * The attribute paths of `filter` that `model` does not define, as written. A server that
 * quietly matched nothing on them would make Entra create a duplicate user every cycle
 * (Entra ref §6.1), so a strict server rejects them instead.
 */
export function unknownFilterPaths(filter: Filter, model: ResourceModel): string[] {
  const unknown: string[] = [];
  const visit = (f: Filter, within?: AttributeDefinition): void => {
    switch (f.kind) {
      case 'and':
      case 'or':
        visit(f.left, within);
        visit(f.right, within);
        return;
      case 'not':
        visit(f.filter, within);
        return;
      case 'valuePath': {
        const resolved = model.resolve(f.path);
        if (!resolved) unknown.push(formatAttrPath(f.path));
        else visit(f.filter, resolved.subAttribute ?? resolved.attribute);
        return;
      }
      default:
        if (within) {
          if (f.path.uri !== undefined || !hasSub(within, f.path.attr)) unknown.push(formatAttrPath(f.path));
        } else if (!isSchemas(f.path) && !model.resolve(f.path)) {
          unknown.push(formatAttrPath(f.path));
        }
    }
  };
  visit(filter);
  return unknown;
}

/** Throws 400 invalidFilter naming the attributes the model does not define. */
export function assertKnownFilterPaths(filter: Filter, model: ResourceModel): void {
  const unknown = unknownFilterPaths(filter, model);
  if (unknown.length > 0) {
    const names = unknown.map((p) => `"${p}"`).join(', ');
    throw ScimError.badRequest('invalidFilter', `The filter names ${names}, which no schema of ${model.resourceType.name} defines`);
  }
}
