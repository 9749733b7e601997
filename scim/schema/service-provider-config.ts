import { defineAttribute } from './common.js';
import type { AttributeDefinition, SchemaDefinition } from './types.js';
import { URN } from './urns.js';

/** Every attribute of the configuration is set by the service provider. */
function attr(name: string, overrides: Partial<AttributeDefinition>): AttributeDefinition {
  return defineAttribute(name, { mutability: 'readOnly', ...overrides });
}

const SUPPORTED = attr('supported', {
  type: 'boolean',
  description: 'A Boolean value specifying whether or not the operation is supported.',
  required: true,
});

function feature(name: string, description: string, more: AttributeDefinition[] = []): AttributeDefinition {
  return attr(name, { type: 'complex', description, required: true, subAttributes: [SUPPORTED, ...more] });
}

/**
 * The ServiceProviderConfig schema of RFC 7643 §8.7.2, completed from §5, which it contradicts by
 * omission: §5 requires `etag` and an authentication scheme `type`, and the §8.5 example also
 * sends `primary` on a scheme.
 */
export const SERVICE_PROVIDER_CONFIG_SCHEMA: SchemaDefinition = {
  id: URN.serviceProviderConfig,
  name: 'Service Provider Configuration',
  description: "Schema for representing the service provider's configuration",
  attributes: [
    attr('documentationUri', {
      type: 'reference',
      referenceTypes: ['external'],
      description: "An HTTP-addressable URL pointing to the service provider's human-consumable help documentation.",
    }),
    feature('patch', 'A complex type that specifies PATCH configuration options.'),
    feature('bulk', 'A complex type that specifies bulk configuration options.', [
      attr('maxOperations', {
        type: 'integer',
        description: 'An integer value specifying the maximum number of operations.',
        required: true,
      }),
      attr('maxPayloadSize', {
        type: 'integer',
        description: 'An integer value specifying the maximum payload size in bytes.',
        required: true,
      }),
    ]),
    feature('filter', 'A complex type that specifies FILTER options.', [
      attr('maxResults', {
        type: 'integer',
        description: 'An integer value specifying the maximum number of resources returned in a response.',
        required: true,
      }),
    ]),
    feature('changePassword', 'A complex type that specifies configuration options related to changing a password.'),
    feature('sort', 'A complex type that specifies sort result options.'),
    feature('etag', 'A complex type that specifies configuration options related to supporting ETags.'),
    attr('authenticationSchemes', {
      type: 'complex',
      multiValued: true,
      description: 'A complex type that specifies supported authentication scheme properties.',
      required: true,
      subAttributes: [
        attr('type', {
          description: 'The authentication scheme.',
          required: true,
          canonicalValues: ['oauth', 'oauth2', 'oauthbearertoken', 'httpbasic', 'httpdigest'],
        }),
        attr('name', { description: 'The common authentication scheme name, e.g., HTTP Basic.', required: true }),
        attr('description', { description: 'A description of the authentication scheme.', required: true }),
        attr('specUri', {
          type: 'reference',
          referenceTypes: ['external'],
          description: "An HTTP-addressable URL pointing to the authentication scheme's specification.",
        }),
        attr('documentationUri', {
          type: 'reference',
          referenceTypes: ['external'],
          description: "An HTTP-addressable URL pointing to the authentication scheme's usage documentation.",
        }),
        attr('primary', {
          type: 'boolean',
          description: "A Boolean value indicating the 'primary' or preferred authentication scheme.",
        }),
      ],
    }),
  ],
};
