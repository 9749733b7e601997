/**
 * `attrPath = [URI ":"] ATTRNAME *1subAttr` (RFC 7644 §3.4.2.2, Figure 1).
 * `uri` is the schema URN when the path was fully qualified, as written.
 */
export interface AttrPath {
  uri?: string;
  attr: string;
  subAttr?: string;
}

/** The eleven comparison operators of RFC 7644 §3.4.2.2 that take a value (`pr` takes none). */
export type CompareOperator = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'lt' | 'ge' | 'le';

export type FilterValue = string | number | boolean | null;

/** The abstract syntax of a SCIM filter. Operators are lower-cased; attribute names keep their spelling. */
export type Filter =
  | { kind: 'compare'; op: CompareOperator; path: AttrPath; value: FilterValue }
  | { kind: 'present'; path: AttrPath }
  | { kind: 'and'; left: Filter; right: Filter }
  | { kind: 'or'; left: Filter; right: Filter }
  | { kind: 'not'; filter: Filter }
  /** `emails[type eq "work"]`: `filter` applies to each element of the multi-valued attribute at `path`. */
  | { kind: 'valuePath'; path: AttrPath; filter: Filter };
