import { getKey } from '../../scim/schema/keys.js';
import type { LookupIndex, Resource } from './types.js';

/** A stored resource with its creation rank, which gives the default order of a list. */
export interface Entry {
  seq: number;
  resource: Resource;
}

/**
 * The resources of one type, by id (a Map, so iteration is creation order), plus one index per
 * lookup attribute. Index keys are lower-cased for every attribute: a lookup then yields a superset
 * of the exact matches, which the caller narrows — so the table needs no caseExact rules.
 */
export class MemoryTable {
  readonly entries = new Map<string, Entry>();
  private readonly indexes = new Map<LookupIndex, Map<string, Set<string>>>();

  constructor(lookups: readonly LookupIndex[]) {
    for (const name of lookups) this.indexes.set(name, new Map());
  }

  /** The lookup index named `attr` (case-insensitive), if this table keeps one. */
  indexNamed(attr: string): LookupIndex | undefined {
    const lower = attr.toLowerCase();
    for (const name of this.indexes.keys()) if (name.toLowerCase() === lower) return name;
    return undefined;
  }

  /** Entries whose `index` attribute equals `value` ignoring case, in creation order. */
  lookup(index: LookupIndex, value: string): Entry[] {
    const ids = this.indexes.get(index)?.get(value.toLowerCase());
    if (!ids) return [];
    const found: Entry[] = [];
    for (const id of ids) found.push(this.entries.get(id)!);
    return found.length > 1 ? found.sort((a, b) => a.seq - b.seq) : found;
  }

  /** Ids of resources whose `index` attribute equals `value` ignoring case. */
  idsWith(index: LookupIndex, value: string): ReadonlySet<string> | undefined {
    return this.indexes.get(index)?.get(value.toLowerCase());
  }

  add(id: string, entry: Entry): void {
    this.entries.set(id, entry);
    this.indexResource(id, entry.resource, true);
  }

  /** Swaps the resource in place, so the entry keeps its position in the default order. */
  update(id: string, entry: Entry, resource: Resource): void {
    this.indexResource(id, entry.resource, false);
    entry.resource = resource;
    this.indexResource(id, resource, true);
  }

  remove(id: string, entry: Entry): void {
    this.entries.delete(id);
    this.indexResource(id, entry.resource, false);
  }

  clear(): void {
    this.entries.clear();
    for (const index of this.indexes.values()) index.clear();
  }

  private indexResource(id: string, resource: Resource, present: boolean): void {
    for (const [name, index] of this.indexes) {
      const value = getKey(resource, name);
      if (typeof value !== 'string') continue;
      const key = value.toLowerCase();
      let ids = index.get(key);
      if (present) {
        if (!ids) index.set(key, (ids = new Set()));
        ids.add(id);
      } else if (ids) {
        ids.delete(id);
        if (ids.size === 0) index.delete(key);
      }
    }
  }
}
