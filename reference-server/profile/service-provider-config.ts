import type { JsonObject } from '../../scim/schema/keys.js';
import { URN } from '../../scim/schema/urns.js';
import type { Profile } from '../../scim/profile/fields.js';
import { overMembers } from '../../scim/profile/resolve.js';

/** What the ServiceProviderConfig is computed from. */
export interface ConfigInput {
  profile: Profile;
  bulk: { maxOperations: number; maxPayloadSize: number };
  maxPageSize: number;
}

/** The authentication schemes enabled. */
export interface AuthSchemes {
  bearer: boolean;
  basic: boolean;
}

function schemes(auth: AuthSchemes): JsonObject[] {
  const out: JsonObject[] = [];
  if (auth.bearer) {
    out.push({
      type: 'oauthbearertoken',
      name: 'OAuth Bearer Token',
      description: 'A bearer token in the Authorization header',
      specUri: 'https://www.rfc-editor.org/rfc/rfc6750',
    });
  }
  if (auth.basic) {
    out.push({
      type: 'httpbasic',
      name: 'HTTP Basic',
      description: 'A user name and password in the Authorization header',
      specUri: 'https://www.rfc-editor.org/rfc/rfc7617',
    });
  }
  if (out[0]) out[0].primary = true;
  return out;
}

/**
 * RFC 7643 §5, describing what this server does, limits included, then the profile's
 * `discovery.serviceProviderConfig`: its `body` instead, its `fields` over. `base` is the URL
 * the client reached (meta.location); '' when only the features are read.
 */
export function serviceProviderConfig({ profile, bulk, maxPageSize }: ConfigInput, auth: AuthSchemes, base: string): JsonObject {
  const { methods } = profile.endpoints;
  const computed: JsonObject = {
    schemas: [URN.serviceProviderConfig],
    patch: { supported: methods['/Users/{id}'].includes('PATCH') || methods['/Groups/{id}'].includes('PATCH') },
    bulk: methods['/Bulk'].length > 0 ? { supported: true, maxOperations: bulk.maxOperations, maxPayloadSize: bulk.maxPayloadSize } : { supported: false },
    filter: { supported: profile.filter.operators.length > 0, maxResults: maxPageSize },
    // The server stores a password a client sets or changes (never returning it).
    changePassword: { supported: true },
    sort: { supported: true },
    // ETags are the resources' meta.version (RFC 7644 §3.14): a profile that hides it has none.
    etag: { supported: profile.attributes.User.meta.includes('version') && profile.attributes.Group.meta.includes('version') },
    authenticationSchemes: schemes(auth),
    meta: { resourceType: 'ServiceProviderConfig', location: `${base}/ServiceProviderConfig` },
  };
  const { body, fields } = profile.discovery.serviceProviderConfig;
  return overMembers(body ?? computed, fields);
}
