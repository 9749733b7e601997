import type { Compat } from '../../scim/compat.js';
import { unknownAttributeNames } from '../../scim/profile/attributes.js';
import { valueKindProblems } from '../../scim/profile/patch-values.js';
import type { Profile, ProfileDocument } from '../../scim/profile/fields.js';
import { overlayProfile, ProfileError } from '../../scim/profile/resolve.js';
import { DEFAULT_SCHEMAS } from '../resources/schemas.js';
import { bundledProfileSource, bundledVariationNames, loadProfile, profileFromDocument } from './load.js';

/** The older options that set one profile field each; given, they win over the profile. */
export interface ProfileShims {
  compat?: Partial<Compat>;
  patchStatus?: 200 | 204;
  publicDiscovery?: boolean;
  maxPageSize?: number;
  /** Bundled profiles/variations/NAME.yaml, each laid over the profile in turn. */
  variations?: readonly string[];
}

/**
 * The profile a server runs with: `option` (a bundled name, a file, or a document; default strict)
 * with the shims' fields over it, then the variations' profiles. Throws a ProfileError for a
 * profile that names an attribute RFC 7643 does not define, or lists booleanString without
 * compat.stringBooleans.
 */
export function serverProfile(option: string | ProfileDocument | undefined, shims: ProfileShims = {}): Profile {
  let profile = option === undefined ? loadProfile('strict') : typeof option === 'string' ? loadProfile(option) : profileFromDocument(option);
  const over: ProfileDocument = {
    ...(shims.compat && { compat: shims.compat }),
    ...(shims.patchStatus !== undefined && { patch: { status: shims.patchStatus } }),
    ...(shims.publicDiscovery !== undefined && { discovery: { public: shims.publicDiscovery } }),
    ...(shims.maxPageSize !== undefined && { paging: { maxResults: shims.maxPageSize } }),
  };
  if (Object.keys(over).length > 0) profile = overlayProfile(profile, over);
  const known = bundledVariationNames();
  for (const name of shims.variations ?? []) {
    if (!known.includes(name)) throw new Error(`unknown variation "${name}": the variations are ${known.join(', ')}`);
    profile = overlayProfile(profile, bundledProfileSource(name)!.document);
  }
  const problems = [...unknownAttributeNames(profile, DEFAULT_SCHEMAS.models), ...valueKindProblems(profile)];
  if (problems.length > 0) throw new ProfileError(`profile ${profile.name}`, problems);
  return profile;
}
