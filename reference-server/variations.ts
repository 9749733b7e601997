import { bundledProfileSource } from './profile/load.js';

/**
 * Ways the reference server can behave that RFC 7643/7644 allow but that differ from its default:
 * a harness run against a variant must not fail, since a real server may behave so. Each is a
 * bundled profile, profiles/variations/NAME.yaml, laid over the server's profile by the
 * `variations` option (and `serve --variation`); the profile says what it changes, and cites the RFC.
 */
const NAMES = [
  'patch-204',
  'no-scim-type',
  'minimal-user-schema',
  'display-name-default',
  'put-keeps-omitted',
  'no-user-groups',
  'computed-member-display',
  'eq-and-filters',
  'no-search',
  'minimal-spc',
] as const;

export type Variation = (typeof NAMES)[number];

export const VARIATION_NAMES: Variation[] = [...NAMES];

/** Each variation's one-line description, from its profile. */
export const VARIATIONS: Readonly<Record<Variation, string>> = Object.fromEntries(
  VARIATION_NAMES.map((name) => [name, bundledProfileSource(name)?.document.description ?? '']),
) as Record<Variation, string>;

export function isVariation(name: string): name is Variation {
  return (NAMES as readonly string[]).includes(name);
}
