/**
 * Ways the reference server can behave that RFC 7643/7644 allow but that differ from its default:
 * a harness run against a variant must not fail, since a real server may behave so. Each is
 * implemented where the behaviour lives (schemas.ts, discovery, the filter check, the service).
 */
export const VARIATIONS = {
  'patch-204': 'PATCH answers 204 without a body (RFC 7644 §3.5.2: 200 with the resource, or 204)',
  'no-scim-type':
    'error bodies carry no scimType (OPTIONAL, RFC 7644 §3.12) except the uniqueness, invalidFilter and noTarget that §3.3, §3.4.2.2 and §3.5.2 require',
  'minimal-user-schema':
    'Users have only userName, displayName, emails, active and groups (plus id, externalId, meta): no name, title, phone numbers, enterprise extension…; other attributes are refused as unknown',
  'display-name-default': 'a User created without displayName gets its userName as displayName',
  'put-keeps-omitted': 'PUT keeps the attributes its body omits; an explicit null still clears one (RFC 7644 §3.5.1: MAY)',
  'no-user-groups': 'Users have no groups attribute: not in /Schemas, never returned',
  'computed-member-display': "Group members' display is the member's displayName (or userName), whatever the client sent",
  'eq-and-filters': 'filters may use only eq and and (with parentheses); any other operator answers 400 invalidFilter',
  'no-search': 'POST /.search, at the root and per resource type, answers 404',
  'minimal-spc':
    '/ServiceProviderConfig declares bulk and changePassword unsupported, without bulk limits; /Bulk answers 501, and a PUT or PATCH that changes a password answers 400',
} as const satisfies Record<string, string>;

export type Variation = keyof typeof VARIATIONS;

export const VARIATION_NAMES = Object.keys(VARIATIONS) as Variation[];

export function isVariation(name: string): name is Variation {
  return Object.prototype.hasOwnProperty.call(VARIATIONS, name);
}
