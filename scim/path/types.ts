/**
 * `attrPath = [URI ":"] ATTRNAME *1subAttr` (RFC 7644 §3.4.2.2, Figure 1).
 * `uri` is the schema URN when the path was fully qualified, as written.
 */
export interface AttrPath {
  uri?: string;
  attr: string;
  subAttr?: string;
}

/**
 * A PATCH operation's path (RFC 7644 §3.5.2, Figure 1): `attrPath` or `valuePath [subAttr]`.
 * `emails[type eq "work"].value` is `{ attr: { attr: 'emails' }, valueFilter: …, subAttr: 'value' }`;
 * `name.givenName` is `{ attr: { attr: 'name', subAttr: 'givenName' } }`.
 */
export interface PatchPath {
  attr: AttrPath;
  valueFilter?: import('../filter/types.js').Filter;
  subAttr?: string;
}
