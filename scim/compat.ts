import { ScimError, type ScimType } from './errors.js';

/**
 * Named departures from RFC 7643/7644 that real IdPs need (see docs/reference/entra.md §6 and
 * docs/reference/okta.md). Every option is off in a strict server; `LENIENT` turns them all on.
 */
export interface Compat {
  /** PATCH `op` compared case-insensitively: Entra's `Add`, `Replace`, `Remove` (Entra ref §6.3). */
  caseInsensitiveOps: boolean;
  /** `"True"`/`"False"` (any case) accepted for boolean attributes: Entra's legacy `active` (Entra ref §6.4). */
  stringBooleans: boolean;
  /** A path-less PATCH value may use attribute paths as keys: `{"name.givenName": "Ada"}` and URN-qualified extension keys (Entra ref §6.3, aadOptscim062020). */
  dottedPathlessKeys: boolean;
  /** `add`/`replace` on `attr[filter].sub` creates the element when none matches, taking equality values from the filter (Entra ref §6.3). */
  createOnFilteredPath: boolean;
  /** `remove` on a multi-valued attribute with a `value` removes only the listed elements: Entra's legacy member removal (Entra ref §7.5). */
  removeWithValue: boolean;
  /** A bare string given for a complex attribute with a `value` sub-attribute becomes `{ value }`: Entra's manager id (Entra ref §6.6). */
  complexFromScalar: boolean;
  /** `remove` with a value filter on a single-valued complex attribute (`manager[value eq "…"]`) removes it when the filter matches: Entra's manager removal (Entra ref §6.3). */
  filterOnSingleComplex: boolean;
  /** A PATCH path may name an extension attribute without its URN when only one extension defines it: Entra's `manager[value eq "…"]` (Entra ref §6.3). */
  unqualifiedExtensionAttributes: boolean;
  /**
   * Attributes no schema defines are dropped instead of rejected (Entra's custom extension keys, Entra ref §6.2):
   * members of POST and PUT bodies and of PATCH values, and PATCH operations whose path names one.
   */
  ignoreUnknownAttributes: boolean;
  /** A list filter's value may be written without quotes: the legacy Entra doc's `externalId eq jyoung` (Entra ref §2, §10.9). */
  unquotedFilterValues: boolean;
}

export const STRICT: Readonly<Compat> = Object.freeze({
  caseInsensitiveOps: false,
  stringBooleans: false,
  dottedPathlessKeys: false,
  createOnFilteredPath: false,
  removeWithValue: false,
  complexFromScalar: false,
  filterOnSingleComplex: false,
  unqualifiedExtensionAttributes: false,
  ignoreUnknownAttributes: false,
  unquotedFilterValues: false,
});

export const LENIENT: Readonly<Compat> = Object.freeze({
  caseInsensitiveOps: true,
  stringBooleans: true,
  dottedPathlessKeys: true,
  createOnFilteredPath: true,
  removeWithValue: true,
  complexFromScalar: true,
  filterOnSingleComplex: true,
  unqualifiedExtensionAttributes: true,
  ignoreUnknownAttributes: true,
  unquotedFilterValues: true,
});

export type CompatOption = keyof Compat;

export const COMPAT_OPTIONS = Object.keys(STRICT) as CompatOption[];

/**
 * A refusal only a strict server makes: with `option` on (as in LENIENT) the request is accepted.
 * The message is the reason, then what a lenient server does instead, in words that hold for any
 * server built on scim/; a server that knows how its users make it lenient adds that (`hinted`).
 */
export class StrictRefusal extends ScimError {
  constructor(
    scimType: ScimType,
    readonly reason: string,
    /** What a lenient server does instead, e.g. "drops unknown attributes". */
    readonly lenient: string,
    readonly option: CompatOption,
  ) {
    super(400, scimType, `${reason} (a lenient server ${lenient})`);
  }

  /** The message with how to get a lenient server, e.g. `scimulator serve --lenient`. */
  hinted(how: string): string {
    return `${this.reason} (a lenient server ${this.lenient}: ${how})`;
  }
}
