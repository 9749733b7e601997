import type { AttributeDefinition } from './types.js';

function attribute(name: string, overrides: Partial<AttributeDefinition>): AttributeDefinition {
  return {
    name,
    type: 'string',
    multiValued: false,
    description: '',
    required: false,
    caseExact: false,
    mutability: 'readWrite',
    returned: 'default',
    uniqueness: 'none',
    ...overrides,
  };
}

/**
 * The common attributes of RFC 7643 §3.1, which every resource has but no schema lists.
 * `schemas` is handled apart: it is a list of URIs, always returned.
 */
export const COMMON_ATTRIBUTES: AttributeDefinition[] = [
  attribute('id', {
    description: 'A unique identifier for a SCIM resource as defined by the service provider.',
    caseExact: true,
    mutability: 'readOnly',
    returned: 'always',
    uniqueness: 'server',
  }),
  attribute('externalId', {
    description: 'A String that is an identifier for the resource as defined by the provisioning client.',
    caseExact: true,
  }),
  attribute('meta', {
    type: 'complex',
    description: 'A complex attribute containing resource metadata.',
    mutability: 'readOnly',
    subAttributes: [
      attribute('resourceType', { description: 'The name of the resource type of the resource.', caseExact: true, mutability: 'readOnly' }),
      attribute('created', { type: 'dateTime', description: 'The DateTime that the resource was added to the service provider.', mutability: 'readOnly' }),
      attribute('lastModified', { type: 'dateTime', description: 'The most recent DateTime that the details of this resource were updated at the service provider.', mutability: 'readOnly' }),
      attribute('location', { type: 'reference', referenceTypes: ['uri'], description: 'The URI of the resource being returned.', caseExact: true, mutability: 'readOnly' }),
      attribute('version', { description: 'The version of the resource being returned.', caseExact: true, mutability: 'readOnly' }),
    ],
  }),
];

export { attribute as defineAttribute };
