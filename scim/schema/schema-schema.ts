import { defineAttribute } from './common.js';
import type { AttributeDefinition, SchemaDefinition } from './types.js';
import { URN } from './urns.js';

/** Every attribute of a schema resource is set by the service provider. */
function attr(name: string, overrides: Partial<AttributeDefinition>): AttributeDefinition {
  return defineAttribute(name, { mutability: 'readOnly', ...overrides });
}

function canonical(name: string, description: string, canonicalValues: string[]): AttributeDefinition {
  return attr(name, { description, caseExact: true, canonicalValues });
}

/** The characteristics of §7, which describe both an attribute and a sub-attribute. */
const CHARACTERISTICS: AttributeDefinition[] = [
  attr('name', { description: "The attribute's name.", required: true, caseExact: true }),
  attr('type', {
    description:
      "The attribute's data type. Valid values include 'string', 'complex', 'boolean', 'decimal', 'integer', 'dateTime', 'reference'.",
    required: true,
    // §8.7.2 leaves out 'binary', a data type of §2.3.6 that x509Certificates uses.
    canonicalValues: ['string', 'complex', 'boolean', 'decimal', 'integer', 'dateTime', 'reference', 'binary'],
  }),
  attr('multiValued', { type: 'boolean', description: "A Boolean value indicating an attribute's plurality.", required: true }),
  attr('description', { description: 'A human-readable description of the attribute.', caseExact: true }),
  attr('required', { type: 'boolean', description: 'A boolean value indicating whether or not the attribute is required.' }),
  attr('canonicalValues', {
    multiValued: true,
    description:
      "A collection of canonical values.  When applicable, service providers MUST specify the canonical types, e.g., 'work', 'home'.",
    caseExact: true,
  }),
  attr('caseExact', {
    type: 'boolean',
    description: 'A Boolean value indicating whether or not a string attribute is case sensitive.',
  }),
  canonical('mutability', 'Indicates whether or not an attribute is modifiable.', ['readOnly', 'readWrite', 'immutable', 'writeOnly']),
  canonical('returned', 'Indicates when an attribute is returned in a response (e.g., to a query).', [
    'always',
    'never',
    'default',
    'request',
  ]),
  canonical('uniqueness', 'Indicates how unique a value must be.', ['none', 'server', 'global']),
  attr('referenceTypes', {
    // Multi-valued at both levels; §8.7.2 says false for the sub-attribute one by mistake.
    multiValued: true,
    description:
      "Used only with an attribute of type 'reference'.  Specifies a SCIM resourceType that a reference attribute MAY refer to, e.g., 'User'.",
    caseExact: true,
  }),
];

/** The Schema schema of RFC 7643 §8.7.2 (attributes of §7). */
export const SCHEMA_SCHEMA: SchemaDefinition = {
  id: URN.schema,
  name: 'Schema',
  description: 'Specifies the schema that describes a SCIM schema',
  attributes: [
    attr('id', {
      description: 'The unique URI of the schema. When applicable, service providers MUST specify the URI.',
      required: true,
    }),
    attr('name', {
      description: "The schema's human-readable name.  When applicable, service providers MUST specify the name, e.g., 'User'.",
      required: true,
    }),
    // §8.7.2 copies the description of `name` here; this is §7's wording.
    attr('description', { description: "The schema's human-readable description.  When applicable, service providers MUST specify the description." }),
    attr('attributes', {
      type: 'complex',
      multiValued: true,
      description: 'A complex attribute that includes the attributes of a schema.',
      required: true,
      subAttributes: [
        ...CHARACTERISTICS,
        attr('subAttributes', {
          type: 'complex',
          multiValued: true,
          description: 'Used to define the sub-attributes of a complex attribute.',
          subAttributes: CHARACTERISTICS,
        }),
      ],
    }),
  ],
};
