import type { AttrPath, Filter } from '../filter/types.js';

// attrPath is the filter grammar's (RFC 7644 §3.4.2.2, Figure 1), so it lives there and paths
// depend on filters, never the reverse; it is re-exported because a PATCH path is built of it.
export type { AttrPath };

/**
 * A PATCH operation's path (RFC 7644 §3.5.2, Figure 1): `attrPath` or `valuePath [subAttr]`.
 * `emails[type eq "work"].value` is `{ attr: { attr: 'emails' }, valueFilter: …, subAttr: 'value' }`;
 * `name.givenName` is `{ attr: { attr: 'name', subAttr: 'givenName' } }`.
 */
export interface PatchPath {
  attr: AttrPath;
  valueFilter?: Filter;
  subAttr?: string;
}
