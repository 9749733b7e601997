import { defineAttribute } from './common.js';
import type { AttributeDefinition, SchemaDefinition } from './types.js';
import { URN } from './urns.js';

/** Every attribute of a resource type is set by the service provider. */
function attr(name: string, overrides: Partial<AttributeDefinition>): AttributeDefinition {
  return defineAttribute(name, { mutability: 'readOnly', ...overrides });
}

/** The ResourceType schema of RFC 7643 §8.7.2 (attributes of §6), with `schemaExtensions` corrected. */
export const RESOURCE_TYPE_SCHEMA: SchemaDefinition = {
  id: URN.resourceType,
  name: 'ResourceType',
  description: 'Specifies the schema that describes a SCIM resource type',
  attributes: [
    attr('id', { description: "The resource type's server unique id. May be the same as the 'name' attribute." }),
    attr('name', {
      description: "The resource type name.  When applicable, service providers MUST specify the name, e.g., 'User'.",
      required: true,
    }),
    attr('description', {
      description:
        "The resource type's human-readable description.  When applicable, service providers MUST specify the description.",
    }),
    attr('endpoint', {
      type: 'reference',
      referenceTypes: ['uri'],
      description: "The resource type's HTTP-addressable endpoint relative to the Base URL, e.g., '/Users'.",
      required: true,
    }),
    attr('schema', {
      type: 'reference',
      referenceTypes: ['uri'],
      description: "The resource type's primary/base schema URI.",
      required: true,
      caseExact: true,
    }),
    attr('schemaExtensions', {
      type: 'complex',
      // §8.7.2 says single-valued and required, but §6 calls it "a list" and OPTIONAL, and the §8.6
      // examples send an array for User and nothing for Group.
      multiValued: true,
      description: "A list of URIs of the resource type's schema extensions.",
      subAttributes: [
        attr('schema', {
          type: 'reference',
          referenceTypes: ['uri'],
          description: 'The URI of a schema extension.',
          required: true,
          caseExact: true,
        }),
        attr('required', {
          type: 'boolean',
          description:
            'A Boolean value that specifies whether or not the schema extension is required for the resource type.  If true, a resource of this type MUST include this schema extension and also include any attributes declared as required in this schema extension. If false, a resource of this type MAY omit this schema extension.',
          required: true,
        }),
      ],
    }),
  ],
};
